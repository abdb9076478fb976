import { parseTemplateCached, PathSegment, TemplateExpression, TemplateFilter } from './template-parser';

/** What templates can read: `{{trigger...}}`, `{{steps.<name>...}}`, `{{execution...}}`. */
export interface TemplateContext {
  trigger: unknown;
  steps: Record<string, unknown>;
  execution?: Record<string, unknown>;
}

/** Names that could reach an object's prototype: they always resolve to nothing. */
const BLOCKED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Walks a path through plain data. Only own properties count, so inherited members
 * (`toString`, `__proto__`, `constructor`) are never reachable.
 */
export function resolvePath(root: unknown, path: PathSegment[]): unknown {
  let current: unknown = root;
  for (const seg of path) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (typeof seg === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[seg];
      continue;
    }
    if (BLOCKED.has(seg) || !Object.prototype.hasOwnProperty.call(current, seg)) return undefined;
    current = (current as Record<string, unknown>)[seg];
  }
  return current;
}

function applyFilter(value: unknown, filter: TemplateFilter): unknown {
  switch (filter.name) {
    case 'default':
      return value === undefined || value === null || value === '' ? filter.arg : value;
    case 'json':
      return value === undefined ? '' : JSON.stringify(value);
  }
}

export function evaluate(expr: TemplateExpression, ctx: TemplateContext): unknown {
  let value = resolvePath(ctx, expr.path);
  for (const f of expr.filters) value = applyFilter(value, f);
  return value;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderString(text: string, ctx: TemplateContext): unknown {
  if (!text.includes('{{')) return text;
  const parsed = parseTemplateCached(text);
  if (parsed.whole) return evaluate(parsed.whole, ctx);
  let out = '';
  for (const part of parsed.parts) out += typeof part === 'string' ? part : toText(evaluate(part, ctx));
  return out;
}

/**
 * Renders every string inside a JSON value. A string that is exactly one expression takes the
 * referenced value as is (an object stays an object, a number stays a number); otherwise the
 * values are written into the text. Throws TemplateSyntaxError on a malformed template.
 */
export function renderValue(value: unknown, ctx: TemplateContext): unknown {
  if (typeof value === 'string') return renderString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, ctx));
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a "__proto__" key stays plain data.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, ctx)]));
  }
  return value;
}
