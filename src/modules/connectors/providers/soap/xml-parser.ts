/**
 * A small, dependency-free, non-validating XML parser for SOAP payloads.
 *
 * Deliberately strict where safety matters: DTDs are refused outright (no entity expansion, so
 * no XXE or "billion laughs"), only the five predefined entities and character references are
 * decoded, nesting depth is capped, and every malformed construct is an error with a position
 * rather than a guess. Namespaces are resolved so callers can match SOAP elements by URI rather
 * than by whatever prefix the service happened to choose.
 */

export interface XmlElement {
  /** Qualified name as written, e.g. `soap:Envelope`. */
  name: string;
  /** Name without prefix, e.g. `Envelope`. */
  local: string;
  prefix?: string;
  /** Resolved namespace URI ('' when none applies). */
  namespace: string;
  /** Attributes as written (qualified names), values decoded. */
  attributes: Record<string, string>;
  /** Namespace URI of each prefixed attribute (e.g. `xsi:nil` → the XMLSchema-instance URI). */
  attributeNamespaces: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at offset ${position})`);
    this.name = 'XmlParseError';
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const NAME_START =
  /[A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const NAME_CHAR =
  /[A-Za-z0-9_:.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export interface ParseXmlOptions {
  /** Deepest element nesting accepted (guards against pathological documents). */
  maxDepth?: number;
}

interface OpenElement {
  element: XmlElement;
  /** Prefix → URI bindings visible inside this element. */
  scope: Map<string, string>;
}

/** Decodes `&amp;`-style references; unknown entities are an error (no DTD can define them). */
export function decodeEntities(raw: string, offset = 0): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,12});?/g, (match, body: string, at: number) => {
    if (!match.endsWith(';')) throw new XmlParseError(`unterminated entity reference "${match}"`, offset + at);
    if (body in PREDEFINED) return PREDEFINED[body];
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (!numeric) throw new XmlParseError(`unknown entity "&${body};"`, offset + at);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2], 10);
    if (!isXmlChar(code)) throw new XmlParseError(`character reference "&${body};" is not a legal XML character`, offset + at);
    return String.fromCodePoint(code);
  });
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function splitName(name: string): { prefix?: string; local: string } {
  const i = name.indexOf(':');
  return i > 0 ? { prefix: name.slice(0, i), local: name.slice(i + 1) } : { local: name };
}

export function parseXml(input: string, options: ParseXmlOptions = {}): XmlElement {
  const maxDepth = options.maxDepth ?? 256;
  // End-of-line normalisation (XML 1.0 §2.11): a literal CR never survives parsing; `&#13;` does.
  const src = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;

  const fail = (message: string, at = pos): never => {
    throw new XmlParseError(message, at);
  };
  const expectClose = (token: string, what: string): number => {
    const end = src.indexOf(token, pos);
    if (end < 0) fail(`unterminated ${what}`);
    return end;
  };
  const readName = (): string => {
    const start = pos;
    if (pos >= src.length || !NAME_START.test(src[pos])) fail('expected a name');
    pos++;
    while (pos < src.length && NAME_CHAR.test(src[pos])) pos++;
    return src.slice(start, pos);
  };
  const skipSpace = (): boolean => {
    const start = pos;
    while (pos < src.length && (src[pos] === ' ' || src[pos] === '\n' || src[pos] === '\t' || src[pos] === '\r')) pos++;
    return pos > start;
  };
  const appendText = (text: string, at: number) => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (text.trim() !== '') fail('text outside the root element', at);
      return;
    }
    const kids = top.element.children;
    if (typeof kids[kids.length - 1] === 'string') kids[kids.length - 1] += text;
    else kids.push(text);
  };

  while (pos < src.length) {
    if (src[pos] !== '<') {
      const next = src.indexOf('<', pos);
      const end = next < 0 ? src.length : next;
      const raw = src.slice(pos, end);
      if (raw.includes(']]>')) fail('"]]>" is not allowed in text', pos + raw.indexOf(']]>'));
      appendText(decodeEntities(raw, pos), pos);
      pos = end;
      continue;
    }
    if (src.startsWith('<?', pos)) {
      pos = expectClose('?>', 'processing instruction') + 2;
      continue;
    }
    if (src.startsWith('<!--', pos)) {
      pos = expectClose('-->', 'comment') + 3;
      continue;
    }
    if (src.startsWith('<![CDATA[', pos)) {
      if (!stack.length) fail('CDATA outside the root element');
      const end = expectClose(']]>', 'CDATA section');
      appendText(src.slice(pos + 9, end), pos);
      pos = end + 3;
      continue;
    }
    if (src.startsWith('<!', pos)) fail('DTDs and declarations are not allowed');
    if (src.startsWith('</', pos)) {
      const at = pos;
      pos += 2;
      const name = readName();
      skipSpace();
      if (src[pos] !== '>') fail(`expected ">" to close </${name}`);
      pos++;
      const open = stack.pop();
      if (!open) fail(`unexpected closing tag </${name}>`, at);
      if (open!.element.name !== name) fail(`closing tag </${name}> does not match <${open!.element.name}>`, at);
      continue;
    }

    // A start tag.
    const at = pos;
    if (root && !stack.length) fail('more than one root element');
    if (stack.length >= maxDepth) fail(`elements nested deeper than ${maxDepth}`);
    pos++;
    const name = readName();
    const attributes: Record<string, string> = {};
    let selfClosing = false;
    for (;;) {
      const spaced = skipSpace();
      if (src.startsWith('/>', pos)) {
        pos += 2;
        selfClosing = true;
        break;
      }
      if (src[pos] === '>') {
        pos++;
        break;
      }
      if (pos >= src.length) fail(`unterminated start tag <${name}`, at);
      if (!spaced) fail(`expected whitespace before an attribute in <${name}>`);
      const attrAt = pos;
      const attr = readName();
      skipSpace();
      if (src[pos] !== '=') fail(`expected "=" after attribute ${attr}`);
      pos++;
      skipSpace();
      const quote = src[pos];
      if (quote !== '"' && quote !== "'") fail(`expected a quoted value for attribute ${attr}`);
      const end = src.indexOf(quote, pos + 1);
      if (end < 0) fail(`unterminated value of attribute ${attr}`);
      const raw = src.slice(pos + 1, end);
      if (raw.includes('<')) fail(`"<" in the value of attribute ${attr}`, pos + 1 + raw.indexOf('<'));
      if (Object.prototype.hasOwnProperty.call(attributes, attr)) fail(`duplicate attribute ${attr}`, attrAt);
      // Attribute-value normalisation: literal whitespace becomes a space; references keep theirs.
      attributes[attr] = decodeEntities(raw.replace(/[\t\n\r]/g, ' '), pos + 1);
      pos = end + 1;
    }

    const parentScope = stack.length ? stack[stack.length - 1].scope : new Map([['xml', XML_NS]]);
    let scope = parentScope;
    for (const [attr, value] of Object.entries(attributes)) {
      if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        scope.set(attr === 'xmlns' ? '' : attr.slice(6), value);
      }
    }
    const { prefix, local } = splitName(name);
    const namespace = scope.get(prefix ?? '');
    if (prefix && namespace === undefined) fail(`undeclared namespace prefix "${prefix}"`, at);
    const attributeNamespaces: Record<string, string> = {};
    for (const attr of Object.keys(attributes)) {
      const p = splitName(attr).prefix;
      if (!p || p === 'xmlns') continue;
      const uri = scope.get(p);
      if (uri === undefined) fail(`undeclared namespace prefix "${p}" on attribute ${attr}`, at);
      attributeNamespaces[attr] = uri!;
    }
    const element: XmlElement = { name, local, prefix, namespace: namespace ?? '', attributes, attributeNamespaces, children: [] };
    if (stack.length) stack[stack.length - 1].element.children.push(element);
    else root = element;
    if (!selfClosing) stack.push({ element, scope });
  }

  if (stack.length) fail(`unclosed element <${stack[stack.length - 1].element.name}>`);
  if (!root) fail('no root element', 0);
  return root!;
}

/** Child elements only (text and whitespace skipped). */
export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** Concatenated text content of an element and its descendants. */
export function textContent(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Converts an element's content to plain JSON:
 * - a leaf becomes its text (a string; values are never guessed into numbers);
 * - child elements become keys by local name (prefixes dropped), repeated names an array;
 * - attributes become `@name` keys (namespace declarations dropped), mixed text `#text`;
 * - `xsi:nil="true"` becomes null.
 */
export function xmlToJson(el: XmlElement): unknown {
  for (const [k, v] of Object.entries(el.attributes)) {
    if (el.attributeNamespaces[k] === XSI_NS && splitName(k).local === 'nil' && (v === 'true' || v === '1')) return null;
  }
  const out: Record<string, unknown> = {};
  let hasKeys = false;
  for (const [k, v] of Object.entries(el.attributes)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    setOwn(out, `@${splitName(k).local}`, v);
    hasKeys = true;
  }
  const kids = childElements(el);
  for (const kid of kids) {
    const value = xmlToJson(kid);
    const key = kid.local;
    // A child's own value is never an array, so an array here means "seen before".
    if (Object.prototype.hasOwnProperty.call(out, key)) {
      const prev = out[key];
      if (Array.isArray(prev)) prev.push(value);
      else setOwn(out, key, [prev, value]);
    } else {
      setOwn(out, key, value);
    }
    hasKeys = true;
  }
  const text = el.children.filter((c): c is string => typeof c === 'string').join('');
  if (!hasKeys) return text;
  if (text.trim() !== '') setOwn(out, '#text', kids.length ? text.trim() : text);
  return out;
}

/** Own data property even for names like `__proto__` (an element may be called anything). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
