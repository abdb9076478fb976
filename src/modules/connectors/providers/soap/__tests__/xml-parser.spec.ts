import { parseXml, XmlParseError, xmlToJson, decodeEntities } from '../xml-parser';

describe('parseXml', () => {
  it('resolves namespaces, attributes, CDATA, comments and entities', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0"?><!-- c --><a:root xmlns:a="urn:a" xmlns="urn:d" id="1 &amp; 2"><child x=\'y\'>t &lt;&#65;&#x42;&gt;<![CDATA[<raw & stuff>]]></child><!-- inner --><a:leaf/></a:root>',
    );
    expect(root).toMatchObject({ name: 'a:root', local: 'root', prefix: 'a', namespace: 'urn:a', attributes: { id: '1 & 2' } });
    const [child, leaf] = root.children as any[];
    expect(child).toMatchObject({ local: 'child', namespace: 'urn:d', attributes: { x: 'y' }, children: ['t <AB><raw & stuff>'] });
    expect(leaf).toMatchObject({ local: 'leaf', namespace: 'urn:a', children: [] });
  });

  it.each([
    ['<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', /DTD/],
    ['<x>&foo;</x>', /unknown entity/],
    ['<x>&amp</x>', /unterminated entity/],
    ['<x>&#0;</x>', /not a legal XML character/],
    ['<x><y></x>', /does not match/],
    ['<x>', /unclosed element/],
    ['<x/><y/>', /more than one root/],
    ['text<x/>', /text outside the root/],
    ['<x a="1" a="2"/>', /duplicate attribute/],
    ['<x a=1/>', /quoted value/],
    ['<x a="<"/>', /"<" in the value/],
    ['<p:x/>', /undeclared namespace prefix "p"/],
    ['<x p:a="1"/>', /undeclared namespace prefix "p"/],
    ['<x><![CDATA[abc</x>', /unterminated CDATA/],
    ['', /no root element/],
    ['<x>a]]>b</x>', /"]]>" is not allowed/],
    ['<x a="1"b="2"/>', /expected whitespace/],
  ])('rejects %s', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlParseError);
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('caps nesting depth', () => {
    const deep = '<a>'.repeat(300) + '</a>'.repeat(300);
    expect(() => parseXml(deep)).toThrow(/nested deeper than 256/);
    expect(parseXml('<a>'.repeat(50) + '</a>'.repeat(50)).local).toBe('a');
  });

  it('decodes astral character references', () => {
    expect(decodeEntities('&#x1F600;')).toBe('\u{1F600}');
  });
});

describe('xmlToJson', () => {
  it('turns leaves into strings, repeats into arrays, attributes into @keys, xsi:nil into null', () => {
    const root = parseXml(
      '<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:p="urn:p"><p:n>42</p:n><i>a</i><i>b</i><i>c</i><e/><z xsi:nil="true"/><m unit="C">21</m><__proto__>x</__proto__></r>',
    );
    const json = xmlToJson(root) as any;
    expect(json).toEqual({ n: '42', i: ['a', 'b', 'c'], e: '', z: null, m: { '@unit': 'C', '#text': '21' }, ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(json, '__proto__')).toBe(true);
  });

  it('only treats nil in the XMLSchema-instance namespace as null', () => {
    expect(xmlToJson(parseXml('<r xmlns:q="urn:q" q:nil="true"/>'))).toEqual({ '@nil': 'true' });
  });
});

describe('end-of-line handling', () => {
  it('normalises literal CR/CRLF to LF but keeps &#13;', () => {
    expect(xmlToJson(parseXml('<x>a\r\nb\rc&#13;d</x>'))).toBe('a\nb\ncd'.replace('cd', 'c\rd'));
  });
});
