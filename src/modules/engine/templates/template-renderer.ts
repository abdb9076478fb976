import { jsonSize, jsonStringBytes } from './json-size';
import { parseTemplateCached, PathSegment, TemplateExpression, TemplateFilter } from './template-parser';

/**
 * What templates can read: `{{trigger...}}`, `{{steps.<name>...}}`, `{{execution...}}`, and the
 * trigger payload by its own keys (`{{user.name}}`, resolved to `trigger` by the parser).
 */
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

/**
 * A render stopped because its output passed `limit` bytes of JSON. Thrown by RenderMeter the
 * moment the count goes over, before the text or value beyond the limit is built.
 */
export class RenderLimitError extends Error {
  constructor(
    readonly limit: number,
    /** Bytes counted when the render stopped (more would have followed). */
    readonly reached: number,
  ) {
    super(`rendered value exceeds ${limit} bytes`);
    this.name = 'RenderLimitError';
  }
}

/**
 * Counts the bytes of JSON a render produces (exactly what `JSON.stringify` of the rendered value
 * would write) and throws RenderLimitError as soon as they pass `limit`.
 */
export class RenderMeter {
  used = 0;
  constructor(readonly limit: number = Infinity) {}

  get remaining(): number {
    return this.limit - this.used;
  }

  charge(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) throw new RenderLimitError(this.limit, this.used);
  }

  /** Charges a value that is already built (a reference), measured with a walk that stops at the limit. */
  chargeValue(value: unknown): void {
    this.charge(jsonSize(value, this.remaining));
  }

  /** Throws unless a value's JSON fits in what is left (nothing is charged): before writing it out as text. */
  assertFits(value: unknown): void {
    const size = jsonSize(value, this.remaining);
    if (size > this.remaining) throw new RenderLimitError(this.limit, this.used + size);
  }

  /** Charges the JSON bytes of text appended inside a string (no quotes), checking its length first. */
  chargeText(text: string): void {
    if (text.length > this.remaining) throw new RenderLimitError(this.limit, this.used + text.length);
    this.charge(jsonStringBytes(text) - 2);
  }
}

const UNLIMITED = () => new RenderMeter();

function applyFilter(value: unknown, filter: TemplateFilter, meter: RenderMeter): unknown {
  switch (filter.name) {
    case 'default':
      return value === undefined || value === null || value === '' ? filter.arg : value;
    case 'json':
      if (value === undefined) return '';
      // JSON.stringify would build the whole text first: measure the reference before.
      meter.assertFits(value);
      return JSON.stringify(value);
  }
}

/** An expression's value: a reference into the run's data (filters may make a new value, within `meter`). */
export function evaluate(expr: TemplateExpression, ctx: TemplateContext, meter: RenderMeter = UNLIMITED()): unknown {
  let value = resolvePath(ctx, expr.path);
  for (const f of expr.filters) value = applyFilter(value, f, meter);
  return value;
}

function toText(value: unknown, meter: RenderMeter): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    meter.assertFits(value);
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * Renders one string. `meter` is charged the JSON bytes of the result: a whole-expression
 * template returns the referenced value itself (not a copy), measured by a walk that stops at
 * the limit; text stops growing the moment it would pass the limit.
 */
export function renderString(text: string, ctx: TemplateContext, meter: RenderMeter = UNLIMITED()): unknown {
  if (!text.includes('{{')) {
    meter.chargeText(text);
    meter.charge(2);
    return text;
  }
  const parsed = parseTemplateCached(text);
  if (parsed.whole) {
    const value = evaluate(parsed.whole, ctx, meter);
    meter.chargeValue(value);
    return value;
  }
  meter.charge(2); // the quotes
  let out = '';
  for (const part of parsed.parts) {
    const piece = typeof part === 'string' ? part : toText(evaluate(part, ctx, meter), meter);
    meter.chargeText(piece);
    out += piece;
  }
  return out;
}

/**
 * Renders every string inside a JSON value. A string that is exactly one expression takes the
 * referenced value as is (an object stays an object, a number stays a number); otherwise the
 * values are written into the text. Throws TemplateSyntaxError on a malformed template and
 * RenderLimitError once the result's JSON passes `meter`'s limit.
 */
export function renderValue(value: unknown, ctx: TemplateContext, meter: RenderMeter = UNLIMITED()): unknown {
  if (typeof value === 'string') return renderString(value, ctx, meter);
  if (Array.isArray(value)) {
    meter.charge(2 + Math.max(0, value.length - 1));
    return value.map((v) => {
      const r = renderValue(v, ctx, meter);
      if (r === undefined) meter.charge(4); // written as null
      return r;
    });
  }
  if (value !== null && typeof value === 'object') {
    meter.charge(2);
    let first = true;
    const entries: Array<[string, unknown]> = [];
    for (const [k, v] of Object.entries(value)) {
      const r = renderValue(v, ctx, meter);
      if (r !== undefined) {
        meter.charge(jsonStringBytes(k) + 1 + (first ? 0 : 1));
        first = false;
      }
      entries.push([k, r]);
    }
    // fromEntries defines own properties, so a "__proto__" key stays plain data.
    return Object.fromEntries(entries);
  }
  meter.chargeValue(value);
  return value;
}
