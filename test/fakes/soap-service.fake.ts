/**
 * A legacy SOAP service (SOAP 1.1 and 1.2 on one endpoint, like a .NET ASMX/WCF service with
 * both bindings). Reusable: the soap connector tests and the Kong protocol-bridge tests use it.
 *
 * Endpoint: POST {url}/service.asmx  (any path works; `requests` records them)
 * Namespace: SOAP_FAKE_NAMESPACE; SOAPAction (1.1 header, 1.2 content-type `action`) must be
 * namespace + operation, as in the WSDL.
 * Operations:
 *   Add { a, b }                → AddResponse { AddResult }
 *   GetWeather { City }         → GetWeatherResponse { GetWeatherResult { City, Temperature, Conditions } }
 *                                 unknown city → Client/Sender fault "City not found: <City>"
 *   Echo { ...anything }        → EchoResponse { ...the same elements, re-serialised }
 * A second service at {url}/calculator.asmx mirrors the public www.dneonline.com calculator
 * (namespace http://tempuri.org/): Add/Subtract/Multiply/Divide { intA, intB } → <Op>Response
 * { <Op>Result }; divide by zero is a Server fault, a non-integer a Client fault.
 * Errors answered like a real stack: wrong content type 415; envelope/version mismatch
 * VersionMismatch fault; unknown SOAPAction or operation Client fault; malformed XML 400
 * Client fault; basic auth when `auth` is set (401 with WWW-Authenticate, HTML body);
 * `failNext` for 503s.
 */
import { childElements, parseXml, textContent, XmlElement } from '../../src/modules/connectors/providers/soap/xml-parser';
import { basicAuth } from './auth-headers';
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

export const SOAP_FAKE_NAMESPACE = 'http://flowgate.test/legacy/';
export const SOAP_CALCULATOR_NAMESPACE = 'http://tempuri.org/';
const ENV_11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const ENV_12 = 'http://www.w3.org/2003/05/soap-envelope';

export const SOAP_FAKE_WEATHER: Record<string, { Temperature: string; Conditions: string }> = {
  Paris: { Temperature: '21.5', Conditions: 'Sunny' },
  Oslo: { Temperature: '-3', Conditions: 'Snow & wind' },
};

export interface SoapFakeOptions {
  /** Require HTTP basic auth with these credentials. */
  auth?: { username: string; password: string };
}

export interface SoapFake extends FakeServer {
  /** Full endpoint URL to put in a step's `url`. */
  endpoint: string;
  namespace: string;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function envelope(version: '1.1' | '1.2', body: string): string {
  const ns = version === '1.1' ? ENV_11 : ENV_12;
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

function contentType(version: '1.1' | '1.2'): string {
  return version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';
}

/** A fault in the version's own shape: 1.1 faultcode/faultstring, 1.2 Code/Value + Reason/Text. */
export function soapFault(version: '1.1' | '1.2', kind: 'Client' | 'Server' | 'VersionMismatch', text: string, detail?: string): FakeReply {
  const body =
    version === '1.1'
      ? `<soap:Fault><faultcode>soap:${kind}</faultcode><faultstring>${esc(text)}</faultstring>${detail ? `<detail>${detail}</detail>` : ''}</soap:Fault>`
      : `<soap:Fault><soap:Code><soap:Value>soap:${kind === 'Client' ? 'Sender' : kind === 'Server' ? 'Receiver' : kind}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${esc(text)}</soap:Text></soap:Reason>${detail ? `<soap:Detail>${detail}</soap:Detail>` : ''}</soap:Fault>`;
  return { status: 500, body: envelope(version, body), headers: { 'content-type': contentType(version) } };
}

function ok(version: '1.1' | '1.2', inner: string): FakeReply {
  return { status: 200, body: envelope(version, inner), headers: { 'content-type': contentType(version) } };
}

/** Re-serialises parsed elements (for Echo), escaping every value again. */
function serialise(el: XmlElement): string {
  const attrs = Object.entries(el.attributes)
    .filter(([k]) => !k.startsWith('xmlns'))
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  const inner = el.children.map((c) => (typeof c === 'string' ? esc(c) : serialise(c))).join('');
  return `<${el.local}${attrs}>${inner}</${el.local}>`;
}

function handle(req: FakeRequest, options: SoapFakeOptions): FakeReply {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const version: '1.1' | '1.2' | undefined = type.startsWith('text/xml')
    ? '1.1'
    : type.startsWith('application/soap+xml')
      ? '1.2'
      : undefined;
  if (req.method !== 'POST') return { status: 405, body: 'Method Not Allowed', headers: { allow: 'POST' } };
  if (!version) return { status: 415, body: `Cannot process the message because the content type '${type}' was not the expected type.` };

  if (options.auth) {
    const given = basicAuth(req);
    if (!given || given.username !== options.auth.username || given.password !== options.auth.password) {
      return {
        status: 401,
        body: '<html><body><h1>401 - Unauthorized</h1></body></html>',
        headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="legacy"' },
      };
    }
  }

  let root: XmlElement;
  try {
    root = parseXml(req.text);
  } catch (e) {
    const fault = soapFault(version, 'Client', `Bad request: ${(e as Error).message}`);
    return { ...fault, status: 400 };
  }
  const envNs = version === '1.1' ? ENV_11 : ENV_12;
  if (root.local !== 'Envelope' || root.namespace !== envNs) {
    return soapFault(version, 'VersionMismatch', `Wrong envelope namespace for SOAP ${version}: ${root.namespace || '(none)'}`);
  }
  const body = childElements(root).find((e) => e.local === 'Body' && e.namespace === envNs);
  const op = body ? childElements(body)[0] : undefined;
  if (!op) return soapFault(version, 'Client', 'Body has no operation element');

  const calculator = req.path.endsWith('/calculator.asmx');
  const namespace = calculator ? SOAP_CALCULATOR_NAMESPACE : SOAP_FAKE_NAMESPACE;
  const action =
    version === '1.1'
      ? String(req.headers.soapaction ?? '').replace(/^"|"$/g, '')
      : (/;\s*action="([^"]*)"/.exec(String(req.headers['content-type'])) ?? [])[1];
  const expected = namespace + op.local;
  if (version === '1.1' && action !== expected) {
    return soapFault(version, 'Client', `Server did not recognize the value of HTTP Header SOAPAction: ${action}.`);
  }
  if (version === '1.2' && action !== undefined && action !== expected) {
    return soapFault(version, 'Client', `The SOAP action '${action}' does not match the operation.`);
  }
  if (op.namespace !== namespace) {
    return soapFault(version, 'Client', `Unknown operation {${op.namespace}}${op.local}`);
  }
  if (calculator) return calculate(version, op);

  // Parameters are qualified (elementFormDefault="qualified"), as in a .NET service.
  const param = (name: string) => childElements(op).find((e) => e.local === name && e.namespace === SOAP_FAKE_NAMESPACE);
  switch (op.local) {
    case 'Add': {
      const a = Number(textContent(param('a') ?? op).trim());
      const b = Number(textContent(param('b') ?? op).trim());
      if (!param('a') || !param('b') || Number.isNaN(a) || Number.isNaN(b)) {
        return soapFault(version, 'Client', 'Add needs numeric a and b', '<ArgumentError>a,b</ArgumentError>');
      }
      return ok(version, `<AddResponse xmlns="${SOAP_FAKE_NAMESPACE}"><AddResult>${a + b}</AddResult></AddResponse>`);
    }
    case 'GetWeather': {
      const city = textContent(param('City') ?? op).trim();
      const w = SOAP_FAKE_WEATHER[city];
      if (!param('City') || !w)
        return soapFault(version, 'Client', `City not found: ${city}`, `<CityError><City>${esc(city)}</City></CityError>`);
      return ok(
        version,
        `<GetWeatherResponse xmlns="${SOAP_FAKE_NAMESPACE}"><GetWeatherResult><City>${esc(city)}</City><Temperature>${w.Temperature}</Temperature><Conditions>${esc(w.Conditions)}</Conditions></GetWeatherResult></GetWeatherResponse>`,
      );
    }
    case 'Echo':
      return ok(version, `<EchoResponse xmlns="${SOAP_FAKE_NAMESPACE}">${childElements(op).map(serialise).join('')}</EchoResponse>`);
    default:
      return soapFault(version, 'Client', `Server did not recognize the operation ${op.local}`);
  }
}

const CALC: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Subtract: (a, b) => a - b,
  Multiply: (a, b) => a * b,
  Divide: (a, b) => Math.trunc(a / b),
};

/** The dneonline.com calculator: int arguments intA/intB, int result. */
function calculate(version: '1.1' | '1.2', op: XmlElement): FakeReply {
  const fn = CALC[op.local];
  if (!fn)
    return soapFault(
      version,
      'Client',
      `Server did not recognize the value of HTTP Header SOAPAction: ${SOAP_CALCULATOR_NAMESPACE}${op.local}.`,
    );
  const arg = (name: string) =>
    textContent(childElements(op).find((e) => e.local === name && e.namespace === SOAP_CALCULATOR_NAMESPACE) ?? op).trim();
  const [a, b] = [arg('intA'), arg('intB')];
  if (!/^-?\d+$/.test(a) || !/^-?\d+$/.test(b)) {
    return soapFault(
      version,
      'Client',
      'Server was unable to read request. ---> There is an error in XML document (1, 300). ---> Input string was not in a correct format.',
    );
  }
  if (op.local === 'Divide' && Number(b) === 0) {
    return soapFault(
      version,
      'Server',
      'System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> System.DivideByZeroException: Attempted to divide by zero.',
    );
  }
  const result = fn(Number(a), Number(b));
  return ok(
    version,
    `<${op.local}Response xmlns="${SOAP_CALCULATOR_NAMESPACE}"><${op.local}Result>${result}</${op.local}Result></${op.local}Response>`,
  );
}

export async function startSoapFake(options: SoapFakeOptions = {}): Promise<SoapFake> {
  const fake = await startFake({ '* /*': (req) => handle(req, options) });
  return Object.assign(fake, { endpoint: `${fake.url}/legacy/service.asmx`, namespace: SOAP_FAKE_NAMESPACE });
}
