import { ConnectorError, OutboundHttp, OutboundRequest } from '../../../connector.types';
import { callSoapOperation, SoapFaultError } from '../soap-client';
import { buildSoapEnvelope, parseSoapEnvelope, SOAP_ENVELOPE_NS } from '../soap-envelope';
import { parseXml, XmlParseError, xmlToJson } from '../xml-parser';

describe('parseXml hardening (library-backed)', () => {
  it.each([
    ['billion laughs', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'],
    ['external entity (XXE)', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>'],
    ['a DOCTYPE after a comment', '<!-- hi --><!DOCTYPE x><x/>'],
    ['a declaration inside the root', '<x><!ELEMENT y ANY></x>'],
  ])('refuses %s before the library sees it', (_, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlParseError);
    expect(() => parseXml(xml)).toThrow(/DTDs and declarations are not allowed/);
  });

  it('does not mistake "<!DOCTYPE" inside a comment or CDATA for a declaration', () => {
    const root = parseXml('<x><!-- <!DOCTYPE y> --><![CDATA[<!DOCTYPE z>]]></x>');
    expect(root.children).toEqual(['<!DOCTYPE z>']);
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    const nest = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(parseXml(nest(256)).local).toBe('a');
    expect(() => parseXml(nest(257))).toThrow(/nested deeper than 256/);
    expect(parseXml(nest(4), { maxDepth: 4 }).local).toBe('a');
    expect(() => parseXml(nest(5), { maxDepth: 4 })).toThrow(/nested deeper than 4/);
  });

  it('refuses a document over the size cap before parsing', () => {
    expect(() => parseXml(`<x>${'a'.repeat(100)}</x>`, { maxLength: 50 })).toThrow(/longer than 50 characters/);
  });

  it('keeps element and attribute names the library treats as reserved, without polluting prototypes', () => {
    const root = parseXml('<r __proto__="p" constructor="c"><constructor>1</constructor><toString>2</toString><prototype/></r>');
    expect(root.children.map((c) => (typeof c === 'string' ? c : c.name))).toEqual(['constructor', 'toString', 'prototype']);
    expect(Object.prototype.hasOwnProperty.call(root.attributes, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(root.attributes)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(xmlToJson(root)).toEqual({ '@__proto__': 'p', '@constructor': 'c', constructor: '1', toString: '2', prototype: '' });
  });

  it('merges text split by comments and CDATA, and resolves namespaces on nested redeclarations', () => {
    const root = parseXml('<a:r xmlns:a="urn:1"><a:x xmlns:a="urn:2">t<!-- c -->u<![CDATA[&v]]></a:x><a:y/></a:r>');
    const [x, y] = root.children as ReturnType<typeof parseXml>[];
    expect(x).toMatchObject({ namespace: 'urn:2', children: ['tu&v'] });
    expect(y.namespace).toBe('urn:1');
  });

  it('reports positions for well-formedness errors', () => {
    try {
      parseXml('<x>\n  <y></x>');
      throw new Error('expected an XmlParseError');
    } catch (e) {
      expect(e).toBeInstanceOf(XmlParseError);
      expect((e as XmlParseError).position).toBe(9);
    }
  });
});

describe('buildSoapEnvelope escaping (no injection)', () => {
  it('round-trips hostile text and attribute values unchanged', () => {
    const hostile = `</City><Injected/><![CDATA[x]]>&amp; "q" 'a' \t\n\r ]]>`;
    const xml = buildSoapEnvelope({
      version: '1.1',
      operation: 'Op',
      namespace: 'urn:x',
      params: { City: { '@code': hostile, '#text': hostile } },
    });
    expect(xml).not.toContain('<Injected/>');
    expect(parseSoapEnvelope(xml).body).toEqual({ Op: { City: { '@code': hostile, '#text': hostile.trim() } } });
  });
});

describe('callSoapOperation fault mapping', () => {
  const respond = (status: number, text: string): OutboundHttp =>
    ({
      request: async (req: OutboundRequest) => {
        void req;
        return { status, headers: {}, body: text, text, durationMs: 1 };
      },
    }) as OutboundHttp;
  const call = (http: OutboundHttp, version: '1.1' | '1.2' = '1.1') =>
    callSoapOperation(http, { url: 'http://soap.test/svc', version, operation: 'Op', namespace: 'urn:x' });

  it('maps a SOAP 1.1 fault to SOAP_FAULT (not retryable) with code and string', async () => {
    const env = `<s:Envelope xmlns:s="${SOAP_ENVELOPE_NS['1.1']}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>bad city</faultstring></s:Fault></s:Body></s:Envelope>`;
    const err = await call(respond(500, env)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SoapFaultError);
    expect(err).toMatchObject({ code: 'SOAP_FAULT', retryable: false, status: 500, message: 'SOAP: fault s:Client — bad city (500)' });
  });

  it('maps a SOAP 1.2 fault with subcode, even on HTTP 200', async () => {
    const env = `<e:Envelope xmlns:e="${SOAP_ENVELOPE_NS['1.2']}"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>m:Bad</e:Value></e:Subcode></e:Code><e:Reason><e:Text xml:lang="en">nope</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`;
    const err = await call(respond(200, env), '1.2').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SOAP_FAULT', message: 'SOAP: fault e:Sender / m:Bad — nope (200)' });
  });

  it('refuses a DTD-carrying answer as an invalid response', async () => {
    const err = await call(respond(200, '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ code: 'SOAP_INVALID_RESPONSE', retryable: false });
    expect((err as Error).message).toMatch(/not well-formed XML: DTDs and declarations are not allowed/);
  });
});
