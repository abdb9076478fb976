import { randomUUID } from 'node:crypto';

/**
 * Requests derived from an OpenAPI document: example bodies built the way Swagger UI builds
 * them, and for every documented property the values its schema refuses. Used by
 * request-validation.e2e-spec.ts to prove the server refuses exactly what the document does.
 */
export type Schema = Record<string, any>;

export interface BodyCase {
  label: string;
  /** The dotted path the 400's `details[].field` must name. */
  field: string;
  body: unknown;
}

export interface Wrong {
  label: string;
  value: unknown;
}

export const UNDECLARED = 'undeclaredProperty';

export class SchemaTools {
  constructor(private readonly doc: Schema) {}

  /** Follows `$ref`, merges `allOf`, and turns `anyOf [X, null]` into X with `nullable: true`. */
  resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) {
      const target = (schema.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce((node: Schema, key) => node[key], this.doc);
      const { $ref: _ref, ...rest } = schema;
      return this.resolve({ ...target, ...rest });
    }
    if (schema.allOf) {
      const { allOf, ...rest } = schema;
      const parts = (allOf as Schema[]).map((s) => this.resolve(s));
      return parts.reduce(
        (acc, p) => ({
          ...acc,
          ...p,
          properties: { ...acc.properties, ...p.properties },
          required: [...(acc.required ?? []), ...(p.required ?? [])],
        }),
        rest,
      );
    }
    const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (union) {
      const isNull = (s: Schema) => Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null;
      const branches = union.filter((s) => !isNull(s));
      if (branches.length === 1) {
        const { anyOf: _a, oneOf: _o, ...rest } = schema;
        return { ...this.resolve(branches[0]), ...rest, nullable: branches.length < union.length || undefined };
      }
    }
    return schema;
  }

  /** The body Swagger UI would fill in: example, else default, else the first enum value, else a value of the type. */
  example(raw: Schema | undefined): unknown {
    const s = this.resolve(raw);
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (Array.isArray(s.enum)) return s.enum[0];
    if (s.anyOf || s.oneOf) return this.example((s.anyOf ?? s.oneOf)[0]);
    switch (s.type) {
      case 'object':
        return Object.fromEntries(Object.entries((s.properties ?? {}) as Record<string, Schema>).map(([k, v]) => [k, this.example(v)]));
      case 'array':
        return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => this.example(s.items));
      case 'integer':
      case 'number':
        return s.minimum ?? 0;
      case 'boolean':
        return true;
      case 'string':
        if (s.format === 'uuid') return randomUUID();
        if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
        return 'string'.padEnd(s.minLength ?? 0, 'x');
      default:
        return {};
    }
  }

  /** Values the schema refuses, each labelled ("integer given 1.5"). Empty for "any JSON value". */
  wrongValues(raw: Schema, current: unknown): Wrong[] {
    const s = this.resolve(raw);
    const out: Wrong[] = [];
    const add = (label: string, value: unknown) => out.push({ label, value });
    if (!s.type) return out;
    if (!s.nullable) add('null', null);
    switch (s.type) {
      case 'string':
        add('string given a number', 12345);
        if (Array.isArray(s.enum)) add('enum given "not-a-member"', 'not-a-member');
        if (s.format === 'uuid') add('uuid given "nope"', 'nope');
        if (s.format === 'date-time') add('date-time given "yesterday"', 'yesterday');
        if (s.minLength > 0) add(`minLength ${s.minLength} given ${s.minLength - 1} characters`, 'a'.repeat(s.minLength - 1));
        if (s.maxLength !== undefined) add(`maxLength ${s.maxLength} given ${s.maxLength + 1} characters`, 'a'.repeat(s.maxLength + 1));
        if (s.pattern) {
          const re = new RegExp(s.pattern);
          const bad = ['!', ' ', '0', 'a b'].find((v) => !re.test(v));
          if (bad !== undefined) add(`pattern given ${JSON.stringify(bad)}`, bad);
        }
        break;
      case 'integer':
      case 'number':
        add(`${s.type} given a numeric string`, '1');
        if (s.type === 'integer') add('integer given 1.5', 1.5);
        if (s.minimum !== undefined) add(`minimum ${s.minimum} given ${s.minimum - 1}`, s.minimum - 1);
        if (s.maximum !== undefined) add(`maximum ${s.maximum} given ${s.maximum + 1}`, s.maximum + 1);
        break;
      case 'boolean':
        add('boolean given "yes"', 'yes');
        break;
      case 'object':
        add('object given "x"', 'x');
        add('object given an array', []);
        break;
      case 'array': {
        add('array given "x"', 'x');
        add('array given an object', {});
        const item = Array.isArray(current) && current.length ? current[0] : this.example(s.items);
        if (s.minItems > 0)
          add(
            `minItems ${s.minItems} given ${s.minItems - 1}`,
            Array.from({ length: s.minItems - 1 }, () => item),
          );
        if (s.maxItems !== undefined)
          add(
            `maxItems ${s.maxItems} given ${s.maxItems + 1}`,
            Array.from({ length: s.maxItems + 1 }, () => item),
          );
        const items = this.resolve(s.items);
        if (items.type && items.type !== 'object') for (const w of this.wrongValues(items, item)) add(`items: ${w.label}`, [w.value]);
        break;
      }
    }
    return out;
  }

  /**
   * Every refusal the schema of a JSON object body implies, at the top level and one level into
   * nested objects and array items: wrong values, each required property missing, and an
   * undeclared property (unless additionalProperties allows it).
   */
  bodyCases(raw: Schema, base: Record<string, unknown>): BodyCase[] {
    const cases: BodyCase[] = [];
    const objectCases = (
      schema: Schema,
      value: Record<string, unknown>,
      path: string[],
      set: (v: Record<string, unknown>) => unknown,
      depth: number,
    ) => {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const at = (k: string) => [...path, k].join('.');
      for (const [k, sub] of Object.entries(props)) {
        for (const w of this.wrongValues(sub, value[k]))
          cases.push({ label: `${at(k)}: ${w.label}`, field: at(k), body: set({ ...value, [k]: w.value }) });
        if ((schema.required ?? []).includes(k)) {
          const { [k]: _gone, ...rest } = value;
          cases.push({ label: `${at(k)}: required, missing`, field: at(k), body: set(rest) });
        }
        if (depth > 0) continue;
        const s = this.resolve(sub);
        if (s.type === 'object' && s.properties) {
          const inner = isObject(value[k]) ? value[k] : (this.example(s) as Record<string, unknown>);
          objectCases(s, inner, [...path, k], (v) => set({ ...value, [k]: v }), depth + 1);
        }
        const items = s.type === 'array' ? this.resolve(s.items) : undefined;
        if (items?.type === 'object' && items.properties) {
          const list = Array.isArray(value[k]) && (value[k] as unknown[]).length ? (value[k] as unknown[]) : [this.example(items)];
          const first = isObject(list[0]) ? list[0] : (this.example(items) as Record<string, unknown>);
          objectCases(items, first, [...path, k, '0'], (v) => set({ ...value, [k]: [v, ...list.slice(1)] }), depth + 1);
        }
      }
      // A DTO's schema lists its properties and the server refuses others (forbidNonWhitelisted).
      if (Object.keys(props).length && (schema.additionalProperties === undefined || schema.additionalProperties === false)) {
        cases.push({ label: `${at(UNDECLARED)}: undeclared property`, field: at(UNDECLARED), body: set({ ...value, [UNDECLARED]: 'x' }) });
      }
    };
    objectCases(this.resolve(raw), base, [], (v) => v, 0);
    return cases;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Query-string values a typed parameter schema refuses (query values are always strings). */
export function wrongQueryValues(s: Schema): Wrong[] {
  const out: Wrong[] = [];
  const add = (label: string, value: string) => out.push({ label, value });
  const items = s.type === 'array' ? (s.items ?? {}) : s;
  if (Array.isArray(items.enum)) add('enum given "not-a-member"', 'not-a-member');
  switch (items.type) {
    case 'integer':
    case 'number':
      add(`${items.type} given "abc"`, 'abc');
      if (items.type === 'integer') add('integer given "1.5"', '1.5');
      if (items.minimum !== undefined) add(`minimum ${items.minimum} given ${items.minimum - 1}`, String(items.minimum - 1));
      if (items.maximum !== undefined) add(`maximum ${items.maximum} given ${items.maximum + 1}`, String(items.maximum + 1));
      break;
    case 'boolean':
      add('boolean given "yes"', 'yes');
      break;
    case 'string':
      if (items.format === 'uuid') add('uuid given "nope"', 'nope');
      if (items.format === 'date-time') add('date-time given "yesterday"', 'yesterday');
      if (items.maxLength !== undefined)
        add(`maxLength ${items.maxLength} given ${items.maxLength + 1} characters`, 'a'.repeat(items.maxLength + 1));
      break;
  }
  return out;
}
