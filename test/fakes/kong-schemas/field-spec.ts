/** Kong's field types as the fake checks them: specs, the builders, the validator and Kong's violation message. */

export type FieldSpec =
  | { type: 'string'; required?: boolean; enum?: readonly string[]; match?: RegExp; matchMsg?: string }
  | { type: 'number' | 'integer'; required?: boolean; gt?: number; between?: [number, number] }
  | { type: 'boolean'; required?: boolean }
  | { type: 'array' | 'set'; required?: boolean; elements: FieldSpec }
  | { type: 'map'; required?: boolean; values: FieldSpec }
  | { type: 'record'; required?: boolean; fields: Record<string, FieldSpec> }
  | { type: 'foreign'; required?: boolean }
  | { type: 'any'; required?: boolean };

export type FieldErrors = string | { [k: string]: FieldErrors } | (FieldErrors | null)[];

export type StringExtra = { required?: boolean; enum?: readonly string[]; match?: RegExp; matchMsg?: string };
export const str = (extra: StringExtra = {}): FieldSpec => ({ type: 'string', ...extra });
export type NumberExtra = { required?: boolean; gt?: number; between?: [number, number] };
export const num = (extra: NumberExtra = {}): FieldSpec => ({ type: 'number', ...extra });
export const int = (extra: NumberExtra = {}): FieldSpec => ({ type: 'integer', ...extra });
export const bool: FieldSpec = { type: 'boolean' };
export const strs: FieldSpec = { type: 'array', elements: { type: 'string' } };
export const rec = (fields: Record<string, FieldSpec>, required = false): FieldSpec => ({ type: 'record', fields, required });

/** Kong's `name` type: letters, digits and `.-_~`. */
export const NAME = /^[A-Za-z0-9.\-_~]+$/;
/** Kong's tag type: printable, no commas, no spaces. */
export const TAG = /^[^,\s]+$/;
/** Kong's `header_name` type (utils.validate_header_name). */
export const HEADER_NAME = /^[A-Za-z0-9_-]+$/;
/** Kong's `path` type: starts with "/", RFC 3986 unreserved characters and percent-escapes only. */
export const KONG_PATH = /^\/([A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*$/;

export const tags: FieldSpec = { type: 'set', elements: str({ match: TAG, matchMsg: 'invalid tag' }) };
export const headerName = (extra: StringExtra = {}): FieldSpec =>
  str({ match: HEADER_NAME, matchMsg: "bad header name, allowed characters are A-Z, a-z, 0-9, '_', and '-'", ...extra });
export const kongPath: FieldSpec = str({
  match: KONG_PATH,
  matchMsg: 'invalid path (characters outside of the reserved list of RFC 3986 found, or a bad percent-encoding)',
});
export const headerPairs: FieldSpec = {
  type: 'array',
  elements: str({ match: /^[^:]+:.*$/, matchMsg: 'invalid value: expected "name:value"' }),
};

export function validate(value: unknown, fields: Record<string, FieldSpec>): Record<string, FieldErrors> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { '@entity': ['expected a record'] };
  const errors: Record<string, FieldErrors> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const spec = fields[k];
    if (!spec) {
      errors[k] = 'unknown field';
      continue;
    }
    const e = validateField(v, spec);
    if (e) errors[k] = e;
  }
  for (const [k, spec] of Object.entries(fields)) {
    const v = (value as Record<string, unknown>)[k];
    if (spec.required && (v === undefined || v === null) && !errors[k]) errors[k] = 'required field missing';
  }
  return Object.keys(errors).length ? errors : null;
}

function validateField(v: unknown, spec: FieldSpec): FieldErrors | null {
  if (v === null || v === undefined) return null; // null clears a field in Kong; `required` checked by the caller
  switch (spec.type) {
    case 'string':
      if (typeof v !== 'string') return 'expected a string';
      if (v.length === 0) return 'length must be at least 1';
      if (spec.enum && !spec.enum.includes(v)) return `expected one of: ${spec.enum.join(', ')}`;
      if (spec.match && !spec.match.test(v)) return spec.matchMsg ?? `invalid value: ${v}`;
      if (spec.match === KONG_PATH && v.includes('//')) return 'must not have empty segments';
      return null;
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || Number.isNaN(v)) return spec.type === 'integer' ? 'expected an integer' : 'expected a number';
      if (spec.type === 'integer' && !Number.isInteger(v)) return 'expected an integer';
      if (spec.gt !== undefined && !(v > spec.gt)) return `value must be greater than ${spec.gt}`;
      if (spec.between && (v < spec.between[0] || v > spec.between[1]))
        return `value should be between ${spec.between[0]} and ${spec.between[1]}`;
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? null : 'expected a boolean';
    case 'array':
    case 'set': {
      if (!Array.isArray(v)) return spec.type === 'set' ? 'expected a set' : 'expected an array';
      const errs = v.map((item) => validateField(item, spec.elements) ?? null);
      return errs.some((e) => e !== null) ? errs : null;
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return 'expected a map';
      const out: Record<string, FieldErrors> = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const e = validateField(item, spec.values);
        if (e) out[k] = e;
      }
      return Object.keys(out).length ? out : null;
    }
    case 'record':
      return validate(v, spec.fields);
    case 'foreign':
      return typeof v === 'object' && !Array.isArray(v) && ((v as { id?: unknown }).id || (v as { name?: unknown }).name)
        ? null
        : 'expected a foreign key';
    case 'any':
      return null;
  }
}

/** `2 schema violations (config.foo: unknown field; name: required field missing)` */
export function schemaViolationMessage(fields: Record<string, FieldErrors>): string {
  const flat: string[] = [];
  const walk = (e: FieldErrors | null, path: string) => {
    if (e === null) return;
    if (typeof e === 'string') flat.push(`${path}: ${e}`);
    else if (Array.isArray(e)) e.forEach((x, i) => (typeof x === 'string' ? flat.push(`${path}: ${x}`) : walk(x, `${path}.${i + 1}`)));
    else for (const [k, v] of Object.entries(e)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(fields, '');
  return flat.length === 1 ? `schema violation (${flat[0]})` : `${flat.length} schema violations (${flat.join('; ')})`;
}
