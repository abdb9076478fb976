/**
 * SOAP payload parsing on fast-xml-parser, shaped into a small namespace-aware element tree.
 *
 * The library does the tokenising (XMLParser) and the well-formedness check (XMLValidator); this
 * file adds what SOAP needs and the library leaves open:
 * - DTDs and declarations are refused before the library sees the text (no entity expansion, so
 *   no XXE or "billion laughs"); the library's own entity processing is switched off and only the
 *   five predefined entities and character references are decoded, an unknown one is an error;
 * - a size cap on the raw text and a depth cap (the library's `maxNestedTags`);
 * - namespace prefixes resolved to URIs, so callers match SOAP elements by URI, not by prefix;
 * - the checks the library is lenient about (a second root, "<" in an attribute, "]]>" in text).
 * Library errors are re-worded into one XmlParseError with an offset.
 */
import { XMLMetaData, XMLParser, XMLValidator } from 'fast-xml-parser';

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

export interface ParseXmlOptions {
  /** Deepest element nesting accepted (guards against pathological documents). */
  maxDepth?: number;
  /** Longest document accepted, in characters (the outbound client caps bytes before this). */
  maxLength?: number;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/**
 * Every tag and attribute name goes through the library with this prefix: it is not an XML name
 * character, so it cannot collide, and it keeps names like `__proto__` or `constructor` (which
 * the library refuses or renames) intact. Stripped again when the tree is built.
 */
const NAME_MARK = '=';

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

/**
 * Refuses `<!DOCTYPE`, `<!ENTITY` and any other `<!` declaration outside comments, CDATA and
 * processing instructions (whose bodies the alternation consumes first).
 */
function refuseDeclarations(src: string): void {
  const tokens = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<\?[\s\S]*?(?:\?>|$)|<!/g;
  for (let m = tokens.exec(src); m; m = tokens.exec(src)) {
    if (m[0] === '<!') throw new XmlParseError('DTDs and declarations are not allowed', m.index);
  }
}

/** Library messages in this parser's words (`$1`, `$2`: the names the library quoted). */
const LIBRARY_MESSAGES: [RegExp, string][] = [
  [/^Expected closing tag '(.*)' \(opened .*\) instead of closing tag '(.*)'\.$/, 'closing tag </$2> does not match <$1>'],
  [/^(?:Unclosed tag '(.*)'|Invalid '\[.*"([^"]*)"\s*\]' found)\.$/, 'unclosed element <$1$2>'],
  [/^Closing tag '(.*)' has not been opened\.$/, 'unexpected closing tag </$1>'],
  [/^char '&' is not expected\.$/, 'unterminated entity reference'],
  [/^(?:char '.*' is not expected\.|Extra text at the end)$/, 'text outside the root element'],
  [/^Multiple possible root nodes found\.$/, 'more than one root element'],
  [/^Start tag expected\.$/, 'no root element'],
  [/^Attribute '(.*)' is repeated\.$/, 'duplicate attribute $1'],
  [/^(?:Attribute '(.*)' is without value|boolean attribute '(.*)' is not allowed)\.$/, 'expected a quoted value for attribute $1$2'],
  [/^Attribute '(.*)' has no space in starting\.$/, 'expected whitespace before an attribute ($1)'],
  [/^CDATA is not closed\.$/, 'unterminated CDATA section'],
];

function libraryError(message: string, position: number): XmlParseError {
  const known = LIBRARY_MESSAGES.find(([pattern]) => pattern.test(message));
  const text = known ? message.replace(known[0], known[1]) : message.charAt(0).toLowerCase() + message.slice(1).replace(/\.$/, '');
  return new XmlParseError(text, position);
}

function offsetOf(src: string, line: number, col: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) at = src.indexOf('\n', at) + 1;
  return at + Math.max(col - 1, 0);
}

/** What XMLParser gives back with `preserveOrder`: `#text`, `#cdata` or `{ [markedName]: children, ':@': attributes }`. */
type OrderedNode = Record<string, unknown>;

function libraryParse(src: string, maxDepth: number): OrderedNode[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: NAME_MARK,
    transformTagName: (name) => NAME_MARK + name,
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    // The library counts the document node too: `n` here admits elements nested n + 1 deep.
    maxNestedTags: maxDepth - 1,
  });
  try {
    return parser.parse(src) as OrderedNode[];
  } catch (e) {
    const message = (e as Error).message;
    if (message.startsWith('Maximum nested tags')) throw new XmlParseError(`elements nested deeper than ${maxDepth}`, 0);
    throw libraryError(message, 0);
  }
}

// Typed as the `Symbol` wrapper by the library; it is a plain symbol at run time.
const META = XMLParser.getMetaDataSymbol() as symbol;

function startOf(node: OrderedNode): number {
  const meta = (node as Record<symbol, XMLMetaData | undefined>)[META];
  return meta?.startIndex ?? 0;
}

/** Self-closing tags pass the library's name transform twice, so every leading mark goes. */
const unmark = (name: string): string => name.replace(/^=+/, '');

/** Builds the element tree from the library's ordered output, resolving namespaces. */
function toElement(node: OrderedNode, key: string, parentScope: Map<string, string>): XmlElement {
  const at = startOf(node);
  const name = unmark(key);
  const attributes: Record<string, string> = {};
  for (const [markedAttr, raw] of Object.entries((node[':@'] ?? {}) as Record<string, string>)) {
    const attr = unmark(markedAttr);
    if (raw.includes('<')) throw new XmlParseError(`"<" in the value of attribute ${attr}`, at);
    // Attribute-value normalisation: literal whitespace becomes a space; references keep theirs.
    setOwn(attributes, attr, decodeEntities(raw.replace(/[\t\n\r]/g, ' '), at));
  }

  let scope = parentScope;
  for (const [attr, value] of Object.entries(attributes)) {
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(attr === 'xmlns' ? '' : attr.slice(6), value);
    }
  }
  const { prefix, local } = splitName(name);
  const namespace = scope.get(prefix ?? '');
  if (prefix && namespace === undefined) throw new XmlParseError(`undeclared namespace prefix "${prefix}"`, at);
  const attributeNamespaces: Record<string, string> = {};
  for (const attr of Object.keys(attributes)) {
    const p = splitName(attr).prefix;
    if (!p || p === 'xmlns') continue;
    const uri = scope.get(p);
    if (uri === undefined) throw new XmlParseError(`undeclared namespace prefix "${p}" on attribute ${attr}`, at);
    setOwn(attributeNamespaces, attr, uri);
  }

  const children: XmlNode[] = [];
  const appendText = (text: string) => {
    if (typeof children[children.length - 1] === 'string') children[children.length - 1] += text;
    else if (text !== '') children.push(text);
  };
  for (const child of node[key] as OrderedNode[]) {
    if ('#text' in child) {
      const raw = String(child['#text']);
      if (raw.includes(']]>')) throw new XmlParseError('"]]>" is not allowed in text', at);
      appendText(decodeEntities(raw, at));
    } else if ('#cdata' in child) {
      for (const part of child['#cdata'] as OrderedNode[]) appendText(String(part['#text'] ?? ''));
    } else {
      const childKey = Object.keys(child).find((k) => k !== ':@');
      if (childKey) children.push(toElement(child, childKey, scope));
    }
  }
  return { name, local, prefix, namespace: namespace ?? '', attributes, attributeNamespaces, children };
}

export function parseXml(input: string, options: ParseXmlOptions = {}): XmlElement {
  const maxDepth = options.maxDepth ?? 256;
  const maxLength = options.maxLength ?? 32 * 1024 * 1024;
  if (input.length > maxLength) throw new XmlParseError(`document longer than ${maxLength} characters`, maxLength);
  // End-of-line normalisation (XML 1.0 §2.11): a literal CR never survives parsing; `&#13;` does.
  const src = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  refuseDeclarations(src);
  // The parser first: it is the one that enforces the depth cap and notices an open CDATA.
  const nodes = libraryParse(src, maxDepth);
  const valid = XMLValidator.validate(src);
  if (valid !== true) throw libraryError(valid.err.msg, offsetOf(src, valid.err.line, valid.err.col));

  const roots = nodes.filter((n) => !('#text' in n) && !('#cdata' in n));
  if (roots.length === 0) throw new XmlParseError('no root element', 0);
  if (roots.length > 1) throw new XmlParseError('more than one root element', startOf(roots[1]));
  const rootKey = Object.keys(roots[0]).find((k) => k !== ':@');
  if (!rootKey) throw new XmlParseError('no root element', 0);
  return toElement(roots[0], rootKey, new Map([['xml', XML_NS]]));
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
