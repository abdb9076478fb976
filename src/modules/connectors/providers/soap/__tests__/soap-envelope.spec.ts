import fc from 'fast-check';
import {
  buildSoapEnvelope,
  defaultSoapAction,
  parseSoapEnvelope,
  SOAP_ENVELOPE_NS,
  SoapBuildError,
  SoapParseError,
  soapRequestHeaders,
} from '../soap-envelope';
import { childElements, parseXml } from '../xml-parser';

describe('buildSoapEnvelope', () => {
  it('builds a qualified SOAP 1.1 request with escaped values', () => {
    const xml = buildSoapEnvelope({
      version: '1.1',
      operation: 'GetWeather',
      namespace: 'http://example.com/weather?a=1&b="2"',
      params: { City: 'Paris <&> "Île"', Days: 3, Metric: true, Tag: ['a', 'b'], Note: null, Price: { '@currency': 'E"UR', '#text': 10 } },
    });
    expect(xml).toContain(`xmlns:soap="${SOAP_ENVELOPE_NS['1.1']}"`);
    expect(xml).toContain('<GetWeather xmlns="http://example.com/weather?a=1&amp;b=&quot;2&quot;">');
    expect(xml).toContain(
      '<City>Paris &lt;&amp;&gt; "Île"</City><Days>3</Days><Metric>true</Metric><Tag>a</Tag><Tag>b</Tag><Note xsi:nil="true"/>',
    );
    expect(xml).toContain('<Price currency="E&quot;UR">10</Price>');
    const root = parseXml(xml);
    const op = childElements(childElements(root)[0])[0];
    expect(op.namespace).toBe('http://example.com/weather?a=1&b="2"');
    expect(childElements(op).every((c) => c.namespace === op.namespace)).toBe(true);
  });

  it('builds an unqualified SOAP 1.2 request with header blocks', () => {
    const xml = buildSoapEnvelope({
      version: '1.2',
      operation: 'Add',
      namespace: 'urn:calc',
      params: { a: 1, b: 2 },
      headers: { AuthHeader: { User: 'u' } },
      elementFormDefault: 'unqualified',
    });
    expect(xml).toContain(`xmlns:soap="${SOAP_ENVELOPE_NS['1.2']}"`);
    expect(xml).toContain('<soap:Header><AuthHeader xmlns="urn:calc"><User>u</User></AuthHeader></soap:Header>');
    expect(xml).toContain('<m:Add xmlns:m="urn:calc"><a>1</a><b>2</b></m:Add>');
    const op = childElements(childElements(parseXml(xml))[1])[0];
    expect(childElements(op).map((c) => c.namespace)).toEqual(['', '']);
  });

  it.each([
    [{ operation: 'bad name' }, 'operation'],
    [{ operation: 'x:y' }, 'operation'],
    [{ params: { 'a b': 1 } }, 'params.a b'],
    [{ params: { a: { '@b c': 1 } } }, 'params.a.@b c'],
    [{ params: { a: 'bell\u0007' } }, 'params.a'],
    [{ params: { a: [[1]] } }, 'params.a[0]'],
    [{ params: { a: Infinity } }, 'params.a'],
    [{ params: { '@x': 1 } }, 'params.@x'],
    [{ namespace: '' }, 'namespace'],
  ])('refuses %j naming the field', (override, field) => {
    const input = { version: '1.1' as const, operation: 'Op', namespace: 'urn:x', ...override };
    try {
      buildSoapEnvelope(input as never);
      throw new Error('expected a SoapBuildError');
    } catch (e) {
      expect(e).toBeInstanceOf(SoapBuildError);
      expect((e as SoapBuildError).field).toBe(field);
      expect((e as Error).message).toContain(field);
    }
  });

  // Any text XML 1.0 can carry (the builder rejects the rest; tested above).
  const illegal =
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const text = fc.string({ unit: 'binary' }).map((s) => s.replace(illegal, ''));
  const leaf = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null));
  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
  const tree = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), fc.array(fc.oneof(leaf, tie('object')), { minLength: 2, maxLength: 3 })),
    object: fc.dictionary(name, tie('value'), { minKeys: 1, maxKeys: 4 }),
  }));
  // What the round trip gives back: scalars as text, null as null.
  const expected = (v: unknown): unknown => {
    if (v === null) return null;
    if (Array.isArray(v)) return v.map(expected);
    if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, expected(x)]));
    return String(v);
  };

  it('round-trips any JSON params through build and parse (property)', () => {
    fc.assert(
      fc.property(tree.object, fc.constantFrom('1.1', '1.2') as fc.Arbitrary<'1.1' | '1.2'>, (params, version) => {
        const xml = buildSoapEnvelope({ version, operation: 'Op', namespace: 'urn:t', params: params as Record<string, unknown> });
        const parsed = parseSoapEnvelope(xml);
        expect(parsed.version).toBe(version);
        expect(parsed.fault).toBeUndefined();
        expect((parsed.body as any).Op).toEqual(expected(params));
      }),
      { numRuns: 300 },
    );
  });
});

describe('soapRequestHeaders / defaultSoapAction', () => {
  it('puts the action in SOAPAction for 1.1 and in the content type for 1.2', () => {
    expect(soapRequestHeaders('1.1', 'http://tempuri.org/Add')).toMatchObject({
      'content-type': 'text/xml; charset=utf-8',
      soapaction: '"http://tempuri.org/Add"',
    });
    expect(soapRequestHeaders('1.2', 'urn:Add')['content-type']).toBe('application/soap+xml; charset=utf-8; action="urn:Add"');
    expect(soapRequestHeaders('1.2', '')['content-type']).toBe('application/soap+xml; charset=utf-8');
    expect(() => soapRequestHeaders('1.1', 'a"b')).toThrow(SoapBuildError);
  });
  it('derives the conventional action', () => {
    expect(defaultSoapAction('http://tempuri.org/', 'Add')).toBe('http://tempuri.org/Add');
    expect(defaultSoapAction('urn:calc', 'Add')).toBe('urn:calc/Add');
    expect(defaultSoapAction('urn:calc#', 'Add')).toBe('urn:calc#Add');
  });
});

describe('parseSoapEnvelope', () => {
  it('parses a 1.1 response body and header with any prefix', () => {
    const parsed = parseSoapEnvelope(
      `<?xml version="1.0"?><S:Envelope xmlns:S="${SOAP_ENVELOPE_NS['1.1']}"><S:Header><Session xmlns="urn:x">abc</Session></S:Header><S:Body><AddResponse xmlns="urn:calc"><AddResult>3</AddResult></AddResponse></S:Body></S:Envelope>`,
    );
    expect(parsed).toEqual({ version: '1.1', header: { Session: 'abc' }, body: { AddResponse: { AddResult: '3' } } });
  });

  it('extracts a SOAP 1.1 fault', () => {
    const parsed = parseSoapEnvelope(
      `<soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NS['1.1']}"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>City &quot;X&quot; unknown</faultstring><faultactor>urn:svc</faultactor><detail><Code>42</Code></detail></soap:Fault></soap:Body></soap:Envelope>`,
    );
    expect(parsed.fault).toEqual({
      faultcode: 'soap:Client',
      faultstring: 'City "X" unknown',
      faultactor: 'urn:svc',
      detail: { Code: '42' },
    });
  });

  it('extracts a SOAP 1.2 fault with subcode and the first reason text', () => {
    const parsed = parseSoapEnvelope(
      `<env:Envelope xmlns:env="${SOAP_ENVELOPE_NS['1.2']}"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:BadCity</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Unknown city</env:Text><env:Text xml:lang="fr">Ville inconnue</env:Text></env:Reason><env:Detail><Hint>use a capital</Hint></env:Detail></env:Fault></env:Body></env:Envelope>`,
    );
    expect(parsed.version).toBe('1.2');
    expect(parsed.fault).toEqual({
      faultcode: 'env:Sender',
      subcode: 'm:BadCity',
      faultstring: 'Unknown city',
      detail: { Hint: 'use a capital' },
    });
  });

  it.each([
    ['<html><body>Bad gateway</body></html>', /not a SOAP envelope/],
    ['<Envelope><Body/></Envelope>', /not a SOAP envelope/],
    [`<s:Envelope xmlns:s="${SOAP_ENVELOPE_NS['1.1']}"/>`, /no Body/],
    ['not xml at all', /not well-formed XML/],
  ])('refuses %s', (xml, message) => {
    expect(() => parseSoapEnvelope(xml)).toThrow(SoapParseError);
    expect(() => parseSoapEnvelope(xml)).toThrow(message);
  });
});
