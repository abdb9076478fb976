import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, Schema, SchemaTools, wrongQueryValues } from './support/schema-cases';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

/**
 * Request validation matches the document, proven from the document itself: for every operation
 * in openapi/openapi.json, every value its request schemas refuse (body of the wrong type, each
 * property given a value of the wrong type/enum/format/bound, each required property missing, an
 * undeclared property; typed query parameters; uuid path parameters) must be a 400
 * VALIDATION_FAILED whose `details[].field` names it, and every documented request-body example
 * must pass validation as-is. A new route or property is covered without touching this file.
 */
const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as Schema;
const tools = new SchemaTools(doc);
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const USAGE_SECRET = 'usage-secret-for-validation-tests-0123';
const NANGO_WEBHOOK_SECRET = 'nango-webhook-secret-for-validation-tests';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Values only the API itself hands out (no example of one can be valid on a fresh account). */
const OPAQUE_QUERY = new Set(['cursor']);

interface Operation {
  method: string;
  path: string;
  op: Schema;
}

interface Probe {
  operation: Operation;
  label: string;
  body?: unknown;
  query?: Record<string, string>;
  /** A required query parameter left out. */
  omitQuery?: string;
  pathParams?: Record<string, string>;
  /** The field the 400 VALIDATION_FAILED must name; undefined: any 400 will do; null: must NOT be a 400 VALIDATION_FAILED. */
  field?: string | null;
}

const operations: Operation[] = Object.entries(doc.paths as Record<string, Schema>).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] as Schema })),
);

const jsonBody = (op: Schema) => op.requestBody?.content?.['application/json'] as Schema | undefined;
const params = (op: Schema, where: string) => ((op.parameters ?? []) as Schema[]).filter((p) => p.in === where);

/** The types a schema allows at its top level (empty: any JSON value). */
function topLevelTypes(raw: Schema): string[] {
  const s = tools.resolve(raw);
  if (s.type) return [s.type];
  return ((s.anyOf ?? s.oneOf ?? []) as Schema[]).map((b) => tools.resolve(b).type).filter(Boolean);
}

/** The documented example of a body (content example, else the schema's), else the one Swagger UI builds. */
function exampleBody(op: Schema): unknown {
  const content = jsonBody(op)!;
  if (content.example !== undefined) return content.example;
  const first = Object.values((content.examples ?? {}) as Record<string, Schema>)[0];
  return first?.value !== undefined ? first.value : tools.example(content.schema);
}

function probesFor(operation: Operation): Probe[] {
  const probes: Probe[] = [];
  const content = jsonBody(operation.op);
  if (content?.schema) {
    const types = topLevelTypes(content.schema);
    if (types.length) {
      for (const [label, body] of [
        ['array', [{}]],
        ['string', 'x'],
        ['number', 42],
      ] as const) {
        if (!types.includes(label)) probes.push({ operation, label: `body: ${label} instead of ${types.join('|')}`, body });
      }
    }
    const example = exampleBody(operation.op);
    probes.push({ operation, label: 'documented example as-is', body: example, field: null });
    const required = (tools.resolve(content.schema).required ?? []) as string[];
    if (required.length) probes.push({ operation, label: 'no body at all', body: undefined, field: required[0] });
    if (types.length === 1 && types[0] === 'object' && isObject(example)) {
      for (const c of tools.bodyCases(content.schema, example)) probes.push({ operation, label: c.label, body: c.body, field: c.field });
    }
  }
  const exampleBodyOrNone = content ? exampleBody(operation.op) : undefined;
  for (const p of params(operation.op, 'query')) {
    const valid = String(p.example ?? tools.example(p.schema));
    if (!OPAQUE_QUERY.has(p.name))
      probes.push({
        operation,
        label: `query ${p.name}: its documented example ${JSON.stringify(valid)}`,
        query: { [p.name]: valid },
        body: exampleBodyOrNone,
        field: null,
      });
    for (const w of wrongQueryValues(tools.resolve(p.schema))) {
      probes.push({
        operation,
        label: `query ${p.name}: ${w.label}`,
        query: { [p.name]: w.value as string },
        body: exampleBodyOrNone,
        field: p.name,
      });
    }
    if (p.required)
      probes.push({ operation, label: `query ${p.name}: required, missing`, omitQuery: p.name, body: exampleBodyOrNone, field: p.name });
  }
  for (const p of params(operation.op, 'path')) {
    if (tools.resolve(p.schema).format === 'uuid')
      probes.push({
        operation,
        label: `path ${p.name}: uuid given "nope"`,
        pathParams: { [p.name]: 'nope' },
        body: exampleBodyOrNone,
        field: p.name,
      });
  }
  return probes;
}

describe('request validation matches the document (every operation, schema-driven)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ KONG_USAGE_SECRET: USAGE_SECRET, NANGO_WEBHOOK_SECRET, AUTH_RATE_LIMIT_LIMIT: '100000' });
    token = (await registerTenant(t.http, 'Validation probes')).token;
  });
  afterAll(() => t.close());

  /** Headers proving who calls: the first security alternative the test can satisfy. */
  function credentials(op: Schema, raw: string): Record<string, string> {
    const headers: Record<string, string> = {};
    const alternatives = (op.security ?? []) as Array<Record<string, unknown>>;
    const names = new Set(alternatives.flatMap((a) => Object.keys(a)));
    for (const h of params(op, 'header')) names.add(String(h.name).toLowerCase());
    if (names.has('bearer')) headers.authorization = `Bearer ${token}`;
    if (names.has('admin-token') || names.has('x-admin-token')) headers['x-admin-token'] = ADMIN_TOKEN;
    if (names.has('usage-secret') || names.has('x-kong-usage-secret')) headers['x-kong-usage-secret'] = USAGE_SECRET;
    if (names.has('nango-signature') || names.has('x-nango-hmac-sha256'))
      headers['x-nango-hmac-sha256'] = createHmac('sha256', NANGO_WEBHOOK_SECRET).update(raw).digest('hex');
    return headers;
  }

  /** The probe's answer, or the reason it is wrong. */
  async function run(probe: Probe): Promise<string | null> {
    const { operation } = probe;
    const query: Record<string, string> = {};
    for (const p of params(operation.op, 'query')) if (p.required) query[p.name] = String(tools.example(p.schema));
    Object.assign(query, probe.query);
    if (probe.omitQuery) delete query[probe.omitQuery];
    const path = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => probe.pathParams?.[name] ?? randomUUID());
    const raw = probe.body === undefined ? undefined : JSON.stringify(probe.body);
    const headers = credentials(operation.op, raw ?? '');
    if (raw !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let body: Schema;
    try {
      const res = await t.http.request(operation.method.toUpperCase(), path, undefined, { headers, raw, query });
      status = res.status;
      body = (isObject(res.body) ? res.body : { text: res.text }) as Schema;
    } catch (e) {
      return `threw ${(e as Error).message.slice(0, 400)}`;
    }
    const refused = status === 400 && body.code === 'VALIDATION_FAILED';
    const answer = `${status} ${JSON.stringify(body).slice(0, 300)}`;
    if (probe.field === null) return refused ? answer : null;
    if (probe.field === undefined) return status === 400 ? null : answer;
    if (!refused) return answer;
    const fields = ((body.details ?? []) as Array<{ field?: string }>).map((d) => d.field);
    return fields.some((f) => f === probe.field || f?.startsWith(`${probe.field}.`)) ? null : `${answer} (does not name ${probe.field})`;
  }

  it('refuses, with a 400 naming the field, every request value the document refuses, and accepts every documented example', async () => {
    const probes = operations.flatMap(probesFor);
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const probe = probes[next++];
        const wrong = await run(probe);
        if (wrong) failures.push(`${probe.operation.method.toUpperCase()} ${probe.operation.path} | ${probe.label} | ${wrong}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(probes.length).toBeGreaterThan(300);
    expect(failures.sort()).toEqual([]);
  });
});
