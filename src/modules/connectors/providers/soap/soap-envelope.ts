/**
 * SOAP 1.1 / 1.2 envelopes: built from JSON, parsed back to JSON. Pure functions with no I/O, so
 * both the `soap` connector and the Kong protocol bridge use the same code.
 *
 * JSON → XML conventions (the same ones `xmlToJson` produces on the way back):
 *   { City: "Paris" }            <City>Paris</City>
 *   { Item: ["a", "b"] }         <Item>a</Item><Item>b</Item>
 *   { Price: { "@currency": "EUR", "#text": 10 } }   <Price currency="EUR">10</Price>
 *   { Note: null }               <Note xsi:nil="true"/>
 * Every text and attribute value is XML-escaped; names must be plain XML names.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { childElements, parseXml, textContent, XmlElement, xmlToJson } from './xml-parser';

export type SoapVersion = '1.1' | '1.2';

export const SOAP_ENVELOPE_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** An element or attribute name we are willing to write (no prefixes: namespaces are ours to set). */
export const XML_LOCAL_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/** A request the caller cannot fix by retrying: bad names, unrepresentable characters. */
export class SoapBuildError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'SoapBuildError';
  }
}

export interface SoapEnvelopeInput {
  version: SoapVersion;
  /** Operation element name, e.g. `GetWeather`. */
  operation: string;
  /** Target namespace of the operation (from the WSDL), e.g. `http://tempuri.org/`. */
  namespace: string;
  /** The operation's parameters, as JSON. */
  params?: Record<string, unknown>;
  /** SOAP header blocks (each written in the operation's namespace). */
  headers?: Record<string, unknown>;
  /**
   * `qualified` (default; .NET and most document/literal services): parameters inherit the
   * operation's namespace. `unqualified` (many RPC-style Java services): only the operation
   * element is namespaced.
   */
  elementFormDefault?: 'qualified' | 'unqualified';
}

// XML 1.0 cannot carry these at all, not even as character references.
const ILLEGAL_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertRepresentable(value: string, field: string): void {
  const m = ILLEGAL_XML_CHARS.exec(value);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new SoapBuildError(`${field} contains a character XML cannot carry (U+${code})`, field);
  }
}

export function escapeXmlText(value: string, field = 'value'): string {
  assertRepresentable(value, field);
  // `>` is escaped too so "]]>" can never appear; `\r` would be normalised away by parsers.
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function escapeXmlAttr(value: string, field = 'value'): string {
  assertRepresentable(value, field);
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function scalarText(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SoapBuildError(`${field} must be a finite number`, field);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new SoapBuildError(`${field} must be a string, number, boolean, object, array or null`, field);
}

function assertName(name: string, field: string): void {
  if (!XML_LOCAL_NAME.test(name)) {
    throw new SoapBuildError(`${field}: "${name}" is not a valid XML element name (letters, digits, "_", "-", "." only; no prefix)`, field);
  }
}

/** XMLBuilder's input: `@name` keys are attributes, `#text` is text, arrays repeat the element. */
type BuilderNode = Record<string, unknown>;

/** Own data property even for names like `__proto__` (a parameter may be called anything). */
function setOwn(obj: BuilderNode, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Checks and escapes one parameter value into XMLBuilder's input. Values are escaped here, not by
 * the builder: the field path goes into the error, and `\r`/`\t`/`\n` need character references
 * the builder's entity list does not write. `attrs` (a namespace declaration) go first on the element.
 */
function toBuilderValue(value: unknown, field: string, depth = 0, attrs: BuilderNode = {}): unknown {
  if (depth > 64) throw new SoapBuildError(`${field} is nested too deeply`, field);
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      if (Array.isArray(item)) throw new SoapBuildError(`${field}[${i}]: arrays of arrays have no XML form`, `${field}[${i}]`);
      return toBuilderValue(item, `${field}[${i}]`, depth + 1, attrs);
    });
  }
  if (value === null || value === undefined) return { ...attrs, '@xsi:nil': 'true' };
  if (typeof value !== 'object') {
    const text = escapeXmlText(scalarText(value, field), field);
    return Object.keys(attrs).length ? { ...attrs, '#text': text } : text;
  }
  const node: BuilderNode = { ...attrs };
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childField = `${field}.${key}`;
    if (key.startsWith('@')) {
      assertName(key.slice(1), childField);
      setOwn(node, key, escapeXmlAttr(scalarText(child, childField), childField));
    } else if (key === '#text') {
      node['#text'] = escapeXmlText(scalarText(child, childField), childField);
    } else {
      assertName(key, childField);
      setOwn(node, key, toBuilderValue(child, childField, depth + 1));
    }
  }
  return node;
}

// Values arrive escaped (above), so the builder's own entity pass stays off.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  processEntities: false,
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
});

/** Builds the full envelope text, XML declaration included. */
export function buildSoapEnvelope(input: SoapEnvelopeInput): string {
  assertName(input.operation, 'operation');
  if (!input.namespace) throw new SoapBuildError('namespace is required', 'namespace');
  const ns = escapeXmlAttr(input.namespace, 'namespace');
  const qualified = (input.elementFormDefault ?? 'qualified') === 'qualified';

  const header: BuilderNode = {};
  for (const [key, value] of Object.entries(input.headers ?? {})) {
    assertName(key, `headers.${key}`);
    setOwn(header, key, toBuilderValue(value, `headers.${key}`, 0, { '@xmlns': ns }));
  }
  const operation: BuilderNode = qualified ? { '@xmlns': ns } : { '@xmlns:m': ns };
  for (const [key, value] of Object.entries(input.params ?? {})) {
    if (key.startsWith('@') || key === '#text') {
      throw new SoapBuildError(`params.${key}: attributes and text belong inside a parameter, not on the operation`, `params.${key}`);
    }
    assertName(key, `params.${key}`);
    setOwn(operation, key, toBuilderValue(value, `params.${key}`));
  }
  const envelope: BuilderNode = {
    '@xmlns:soap': SOAP_ENVELOPE_NS[input.version],
    '@xmlns:xsi': XSI_NS,
    '@xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
  };
  if (Object.keys(header).length) envelope['soap:Header'] = header;
  envelope['soap:Body'] = { [qualified ? input.operation : `m:${input.operation}`]: operation };
  return '<?xml version="1.0" encoding="utf-8"?>' + builder.build({ 'soap:Envelope': envelope });
}

/** The SOAPAction most WSDLs use when none is given: namespace + operation. */
export function defaultSoapAction(namespace: string, operation: string): string {
  return /[/#:]$/.test(namespace) ? `${namespace}${operation}` : `${namespace}/${operation}`;
}

/** HTTP headers for a request: 1.1 uses the SOAPAction header, 1.2 the content-type's action param. */
export function soapRequestHeaders(version: SoapVersion, soapAction: string): Record<string, string> {
  if (/["\r\n]/.test(soapAction)) throw new SoapBuildError('soapAction must not contain quotes or line breaks', 'soapAction');
  if (version === '1.1') return { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${soapAction}"`, accept: 'text/xml' };
  const action = soapAction ? `; action="${soapAction}"` : '';
  return { 'content-type': `application/soap+xml; charset=utf-8${action}`, accept: 'application/soap+xml' };
}

export interface SoapFault {
  /** 1.1 `faultcode`; 1.2 `Code/Value` (e.g. `soap:Client`, `env:Sender`). */
  faultcode: string;
  /** 1.1 `faultstring`; 1.2 the first `Reason/Text`. */
  faultstring: string;
  /** 1.2 `Code/Subcode/Value`, when present. */
  subcode?: string;
  faultactor?: string;
  /** The fault's detail element as JSON, when present. */
  detail?: unknown;
}

export interface ParsedSoapEnvelope {
  version: SoapVersion;
  /** Body content as JSON, e.g. `{ GetWeatherResponse: { Temperature: "21" } }`. */
  body: Record<string, unknown>;
  /** Header blocks as JSON, when the envelope has a Header. */
  header?: Record<string, unknown>;
  fault?: SoapFault;
}

export class SoapParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoapParseError';
  }
}

function versionOf(namespace: string): SoapVersion | undefined {
  if (namespace === SOAP_ENVELOPE_NS['1.1']) return '1.1';
  if (namespace === SOAP_ENVELOPE_NS['1.2']) return '1.2';
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Parses a SOAP 1.1 or 1.2 envelope; throws SoapParseError when the text is not one. */
export function parseSoapEnvelope(xml: string): ParsedSoapEnvelope {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    throw new SoapParseError(`response is not well-formed XML: ${(e as Error).message}`);
  }
  const version = versionOf(root.namespace);
  if (root.local !== 'Envelope' || !version) {
    throw new SoapParseError(`response is not a SOAP envelope (root element <${root.name}>)`);
  }
  const env = root.namespace;
  const parts = childElements(root);
  const headerEl = parts.find((e) => e.local === 'Header' && e.namespace === env);
  const bodyEl = parts.find((e) => e.local === 'Body' && e.namespace === env);
  if (!bodyEl) throw new SoapParseError('SOAP envelope has no Body');

  const faultEl = childElements(bodyEl).find((e) => e.local === 'Fault' && e.namespace === env);
  const result: ParsedSoapEnvelope = { version, body: asObject(xmlToJson(bodyEl)) };
  if (headerEl) result.header = asObject(xmlToJson(headerEl));
  if (faultEl) result.fault = version === '1.1' ? fault11(faultEl) : fault12(faultEl, env);
  return result;
}

function fault11(el: XmlElement): SoapFault {
  // 1.1 fault children are unqualified by the spec; some toolkits qualify them anyway.
  const pick = (name: string) => childElements(el).find((e) => e.local === name);
  const detailEl = pick('detail');
  const fault: SoapFault = {
    faultcode: textContent(pick('faultcode') ?? emptyElement()).trim(),
    faultstring: textContent(pick('faultstring') ?? emptyElement()).trim(),
  };
  const actor = pick('faultactor');
  if (actor) fault.faultactor = textContent(actor).trim();
  if (detailEl) fault.detail = xmlToJson(detailEl);
  return fault;
}

function fault12(el: XmlElement, env: string): SoapFault {
  const pick = (parent: XmlElement | undefined, name: string) =>
    parent ? childElements(parent).find((e) => e.local === name && e.namespace === env) : undefined;
  const code = pick(el, 'Code');
  const subcode = pick(pick(code, 'Subcode'), 'Value');
  const reason = pick(el, 'Reason');
  const firstText = reason ? childElements(reason).find((e) => e.local === 'Text') : undefined;
  const fault: SoapFault = {
    faultcode: textContent(pick(code, 'Value') ?? emptyElement()).trim(),
    faultstring: textContent(firstText ?? emptyElement()).trim(),
  };
  if (subcode) fault.subcode = textContent(subcode).trim();
  const role = pick(el, 'Role');
  if (role) fault.faultactor = textContent(role).trim();
  const detail = pick(el, 'Detail');
  if (detail) fault.detail = xmlToJson(detail);
  return fault;
}

function emptyElement(): XmlElement {
  return { name: '', local: '', namespace: '', attributes: {}, attributeNamespaces: {}, children: [] };
}
