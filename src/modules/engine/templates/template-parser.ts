/**
 * Parses `{{ path | filter: arg }}` templates. Deliberately tiny: a path into the run's data and
 * a few filters; nothing is ever evaluated as code.
 *
 * Paths: `trigger.user.name`, `steps.lookup.body.items[0].id`, `trigger["content-type"]`.
 * Filters: `default: <literal>` (used when the value is missing, null or ""), `json` (stringify).
 *
 * Roots: a path starts with one of TEMPLATE_ROOTS; any other first name reads the trigger
 * payload (the GoFlow form: `{{user.name}}` is `{{trigger.user.name}}`). A reserved root always
 * wins, so a payload's own top-level `steps` or `execution` key is read as `{{trigger.steps}}`.
 */

/** The names a path may start with; anything else is a key of the trigger payload. */
export const TEMPLATE_ROOTS = ['trigger', 'steps', 'execution'] as const;

const ROOTS: ReadonlySet<string> = new Set(TEMPLATE_ROOTS);

export type PathSegment = string | number;

export type FilterName = 'default' | 'json';
export const FILTERS: readonly FilterName[] = ['default', 'json'];

export interface TemplateFilter {
  name: FilterName;
  arg?: unknown;
}

export interface TemplateExpression {
  /** The text between the braces, trimmed (for error messages), as written. */
  source: string;
  /** Always starts with a TEMPLATE_ROOTS name: the GoFlow form gets its `trigger` here, once per parse. */
  path: PathSegment[];
  filters: TemplateFilter[];
}

export type TemplatePart = string | TemplateExpression;

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** Set when the whole string is one expression: its value is used as is (objects stay objects). */
  whole: TemplateExpression | null;
  expressions: TemplateExpression[];
}

export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const IDENT_START = /[A-Za-z_$]/;
const IDENT_CHAR = /[A-Za-z0-9_$-]/;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done() {
    return this.pos >= this.text.length;
  }
  peek() {
    return this.text[this.pos];
  }
  skipSpaces() {
    while (!this.done && /\s/.test(this.text[this.pos])) this.pos++;
  }
  fail(message: string): never {
    throw new TemplateSyntaxError(`${message} in "{{${this.text}}}"`);
  }

  ident(): string {
    const start = this.pos;
    if (this.done || !IDENT_START.test(this.peek())) this.fail('expected a name');
    while (!this.done && IDENT_CHAR.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  quoted(): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (!this.done) {
      const c = this.text[this.pos++];
      if (c === '\\' && !this.done) {
        const n = this.text[this.pos++];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else if (c === quote) {
        return out;
      } else out += c;
    }
    this.fail('unterminated string');
  }

  literal(): unknown {
    this.skipSpaces();
    const c = this.peek();
    if (c === '"' || c === "'") return this.quoted();
    const m = /^(-?\d+(?:\.\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a quoted string, number, true, false or null');
    this.pos += m[0].length;
    return JSON.parse(m[0]);
  }

  path(): PathSegment[] {
    const path: PathSegment[] = [this.ident()];
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        this.pos++;
        path.push(this.ident());
      } else if (c === '[') {
        this.pos++;
        this.skipSpaces();
        const q = this.peek();
        if (q === '"' || q === "'") path.push(this.quoted());
        else {
          const m = /^\d+/.exec(this.text.slice(this.pos));
          if (!m) this.fail('expected an index or a quoted key inside [ ]');
          this.pos += m[0].length;
          path.push(Number(m[0]));
        }
        this.skipSpaces();
        if (this.peek() !== ']') this.fail('expected ]');
        this.pos++;
      } else return path;
    }
  }
}

export function parseExpression(inner: string): TemplateExpression {
  const s = new Scanner(inner);
  s.skipSpaces();
  if (s.done) s.fail('empty expression');
  const written = s.path();
  // Resolved here rather than on every render: parses are cached, renders are per run.
  const path = ROOTS.has(written[0] as string) ? written : ['trigger', ...written];
  const filters: TemplateFilter[] = [];
  s.skipSpaces();
  while (!s.done) {
    if (s.peek() !== '|') s.fail(`unexpected "${s.peek()}"`);
    s.pos++;
    s.skipSpaces();
    const name = s.ident();
    if (!FILTERS.includes(name as FilterName)) s.fail(`unknown filter "${name}" (known: ${FILTERS.join(', ')})`);
    const filter: TemplateFilter = { name: name as FilterName };
    s.skipSpaces();
    if (s.peek() === ':') {
      s.pos++;
      filter.arg = s.literal();
    } else if (name === 'default') s.fail('default needs a value, e.g. | default: "n/a"');
    filters.push(filter);
    s.skipSpaces();
  }
  return { source: inner.trim(), path, filters };
}

/** Finds the `}}` closing an expression, ignoring braces inside quoted strings. */
function findClose(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const expressions: TemplateExpression[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open === -1) {
      parts.push(text.slice(pos));
      break;
    }
    if (open > pos) parts.push(text.slice(pos, open));
    const close = findClose(text, open + 2);
    if (close === -1)
      throw new TemplateSyntaxError(`"{{" without a closing "}}" in "${text.length > 80 ? text.slice(0, 80) + '…' : text}"`);
    const expr = parseExpression(text.slice(open + 2, close));
    parts.push(expr);
    expressions.push(expr);
    pos = close + 2;
  }
  const meaningful = parts.filter((p) => typeof p !== 'string' || p.trim() !== '');
  const whole = meaningful.length === 1 && typeof meaningful[0] !== 'string' ? meaningful[0] : null;
  return { parts, whole, expressions };
}

const cache = new Map<string, ParsedTemplate>();
const CACHE_LIMIT = 10_000;

/** parseTemplate with a bounded cache: the same step params are rendered for every run. */
export function parseTemplateCached(text: string): ParsedTemplate {
  let parsed = cache.get(text);
  if (!parsed) {
    parsed = parseTemplate(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, parsed);
  }
  return parsed;
}

export function formatPath(path: PathSegment[]): string {
  return path
    .map((seg, i) =>
      typeof seg === 'number' ? `[${seg}]` : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg) ? (i ? `.${seg}` : seg) : `[${JSON.stringify(seg)}]`,
    )
    .join('');
}
