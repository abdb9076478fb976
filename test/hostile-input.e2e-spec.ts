import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

type Param = { name: string; in: string; schema?: { type?: string; format?: string; minimum?: number; maximum?: number } };
type Operation = { method: string; path: string; params: Param[]; hasBody: boolean; bodySchema?: unknown; documented: Set<number> };

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
const operations: Operation[] = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    params: (op.parameters ?? []) as Param[],
    hasBody: Boolean(op.requestBody),
    bodySchema: op.requestBody?.content?.['application/json']?.schema,
    documented: new Set(Object.keys(op.responses ?? {}).map(Number)),
  })),
);

/** A URL cannot carry a lone surrogate; the server never sees one, so replace it the way browsers do. */
const wellFormed = (v: string): string => (v as string & { toWellFormed(): string }).toWellFormed();

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 30);

// Values a careless parser chokes on.
const nasty = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'null',
    'undefined',
    'NaN',
    '-1',
    '1e309',
    '0x10',
    '../../etc/passwd',
    '%00',
    '%2e%2e%2f',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '{{constructor.constructor("return process")()}}',
    '__proto__',
    'constructor',
    'prototype',
    '\uD800',
    '😀'.repeat(50),
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.integer().map(String),
  fc.constant('x'.repeat(70_000)),
);

const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue(),
    nasty,
    fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), prototypeKeys), tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 5 }),
  ),
})).value;

/** Deep nesting as raw text (building it as an object would overflow the test's own stack). */
const deepNest = (depth: number) => '__raw__' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepArray = (depth: number) => '__raw__' + '['.repeat(depth) + ']'.repeat(depth);

const bodyArb = fc.oneof(
  { arbitrary: hostileJson, weight: 6 },
  { arbitrary: fc.constantFrom(deepNest(5000), deepNest(100_000), deepArray(50_000)), weight: 1 },
  { arbitrary: fc.constant('__raw__{"unterminated": '), weight: 1 },
  { arbitrary: fc.constant({ __proto__: { isAdmin: true }, constructor: { prototype: { polluted: 1 } } }), weight: 1 },
  { arbitrary: fc.constant('__raw__' + JSON.stringify({ big: 'y'.repeat(2 * 1024 * 1024) })), weight: 1 },
);

const contentTypeArb = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'garbage/???',
);

describe('hostile input against every documented operation', () => {
  let t: TestApp;
  let token: string;
  const report = { seed: SEED, operations: operations.length, requests: 0, byStatus: {} as Record<string, number> };

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_LIMIT: '1000000', AUTH_RATE_LIMIT_LIMIT: '1000000', DEV_MODE: 'true' });
    token = (await registerTenant(t.http, 'Fuzz tenant')).token;
  });
  afterAll(async () => {
    mkdirSync(join(__dirname, '.artifacts'), { recursive: true });
    writeFileSync(join(__dirname, '.artifacts', 'hostile-input-report.json'), JSON.stringify(report, null, 2));
    // eslint-disable-next-line no-console
    console.log(
      `hostile input: ${report.requests} requests over ${report.operations} operations (seed ${SEED}); statuses ${JSON.stringify(report.byStatus)}`,
    );
    await t?.close();
  });

  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s: no 5xx, no hang, every error in the standard shape',
    async (_name, op) => {
      const samples = fc.sample(
        fc.record({
          pathValues: fc.array(nasty, { minLength: 4, maxLength: 4 }),
          query: fc.dictionary(
            fc.oneof(
              fc.constantFrom(...op.params.filter((p) => p.in === 'query').map((p) => p.name), 'limit', 'cursor'),
              fc.string({ maxLength: 8 }),
            ),
            nasty,
            { maxKeys: 4 },
          ),
          body: bodyArb,
          contentType: contentTypeArb,
          auth: fc.constantFrom('user', 'user', 'user', 'none', 'garbage', 'admin'),
          extraHeader: fc.option(
            fc.tuple(
              fc.constantFrom('x-flowgate-signature', 'idempotency-key', 'x-nango-hmac-sha256', 'x-request-id', 'x-kong-usage-secret'),
              fc.string({ maxLength: 300 }),
            ),
          ),
        }),
        { seed: SEED + op.path.length * 31 + op.method.length, numRuns: PER_OPERATION },
      );

      for (const s of samples) {
        let i = 0;
        const path = op.path.replace(
          /\{[^}]+\}/g,
          () => encodeURIComponent(wellFormed(String(s.pathValues[i++ % 4]).slice(0, 500))) || 'x',
        );
        const url = new URL(path, t.url);
        for (const [k, v] of Object.entries(s.query)) url.searchParams.set(wellFormed(k), wellFormed(String(v).slice(0, 2000)));
        const headers: Record<string, string> = {};
        if (s.auth === 'user') headers.authorization = `Bearer ${token}`;
        if (s.auth === 'garbage') headers.authorization = 'Bearer \u00ff\u00fe.garbage';
        if (s.auth === 'admin') headers['x-admin-token'] = t.config.admin.token!;
        if (s.extraHeader) headers[s.extraHeader[0]] = s.extraHeader[1].replace(/[^\x20-\x7e]/g, '?');
        let body: string | undefined;
        if (op.method !== 'GET' && op.method !== 'HEAD' && op.method !== 'DELETE') {
          headers['content-type'] = s.contentType;
          body = typeof s.body === 'string' && s.body.startsWith('__raw__') ? s.body.slice(7) : (JSON.stringify(s.body) ?? 'null');
        }
        const res = await fetch(url, { method: op.method, headers, body, signal: AbortSignal.timeout(15_000) });
        const text = await res.text();
        report.requests++;
        report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
        const where = `${op.method} ${url.pathname.slice(0, 120)} (auth=${s.auth}, ct=${s.contentType})`;

        if (res.status >= 500) {
          // A dependency that is deliberately unavailable (e.g. Nango not configured) is a
          // documented 502/503; anything else is a crash.
          expect({ where, status: res.status, documented: op.documented.has(res.status), text: text.slice(0, 300) }).toEqual({
            where,
            status: res.status,
            documented: true,
            text: text.slice(0, 300),
          });
          expect(res.status).not.toBe(500);
        }
        if (res.status >= 400) {
          let parsed: any;
          expect(() => (parsed = JSON.parse(text))).not.toThrow();
          expect({
            where,
            shape:
              parsed && typeof parsed.statusCode === 'number' && typeof parsed.error === 'string' && typeof parsed.message === 'string',
          }).toEqual({ where, shape: true });
          expect(parsed.statusCode).toBe(res.status);
        }
      }
      // prototype pollution would show up process-wide
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Numeric and date extremes, for every numeric and date parameter (and request-body number) in
// the OpenAPI document; found by schema, so a parameter added later is covered without an edit.
// ---------------------------------------------------------------------------------------------

/** Query/path values that are not a plain in-range integer: each must be a 400 naming the parameter. */
const BAD_INTEGERS = [
  '1e308',
  '1e309',
  '-1e308',
  '1E3',
  '1e1',
  '5e-324',
  '1e-7',
  '-0',
  '-1',
  '0.5',
  '1.0',
  '1.',
  '.5',
  'NaN',
  'Infinity',
  '-Infinity',
  '+1',
  '0x10',
  '0X1f',
  '0b1',
  '0o7',
  ' 1',
  '1 ',
  '01',
  '1_000',
  '1,000',
  '١',
  '9007199254740993',
  '99999999999999999999999',
  '2147483648',
  '-2147483649',
  '',
  'true',
  '[]',
  '{}',
  'null',
];
/** Dates that no store here can hold or that do not exist: each must be a 400 naming the parameter. */
const BAD_DATES = [
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '+002026-01-01T00:00:00Z',
  '275760-09-13',
  '9999-12-31T23:59:59.999-14:00',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+14:00',
  '2026-02-30',
  '2025-02-29T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-01-01T23:59:60Z',
  '2026-13-01',
  '2026-00-10',
  '2026-01-01T00:00:00+25:00',
  '2026-01-01T00:00:00 Z',
  '2026-W01',
  '2026-001',
  '20260101',
  '1e308',
  '8.64e15',
  '-8.64e15',
  '0',
  '-1',
  'now',
  'Infinity',
  'NaN',
  '2026-01-01T00:00:00[Europe/Paris]',
  '2026-01-01T00:00:00Europe/Paris',
  'Thu, 01 Jan 2026 00:00:00 GMT',
  '',
];
/** Sane dates, in every accepted form, with zones: never a 400 for that parameter. */
const GOOD_DATES = [
  '2026-01-01',
  '2026-01-01T00:00:00Z',
  '2024-02-29T12:00:00.123Z',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00-12:00',
  '2026-06-01T10:00:00+0530',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '1969-12-31T23:59:59Z',
];
/** JSON numbers (and near-numbers) for request bodies: never a 500. */
const BODY_NUMBERS: unknown[] = [
  1e308,
  -1e308,
  5e-324,
  -0,
  2 ** 53 + 1,
  -(2 ** 53) - 1,
  1.5,
  2 ** 31,
  -(2 ** 31) - 1,
  0,
  -1,
  '1e3',
  '10',
  'NaN',
  null,
  true,
  [],
  {},
];

const isNumeric = (p: Param) => p.schema?.type === 'integer' || p.schema?.type === 'number';
const isDate = (p: Param) => p.schema?.format === 'date-time' || p.schema?.format === 'date';
/** The logs cursor carries a date inside (base64url JSON [receivedAt, id]); forged ones must be a clean 400 too. */
const isCursor = (p: Param) => p.in === 'query' && p.name === 'cursor';
const cursorOf = (date: string) => Buffer.from(JSON.stringify([date, '6f1c2a5e-0c7d-4b8e-9a1f-2b3c4d5e6f70'])).toString('base64url');

/** Every numeric property of a request body schema, as a path of keys (arrays: the first item). */
function numericBodyPaths(
  schema: any,
  path: Array<string | number> = [],
  depth = 0,
  seen = new Set<unknown>(),
): Array<Array<string | number>> {
  if (!schema || depth > 6) return [];
  if (schema.$ref) {
    const target = schema.$ref
      .replace('#/', '')
      .split('/')
      .reduce((o: any, k: string) => o?.[k], doc);
    if (seen.has(target)) return [];
    return numericBodyPaths(target, path, depth + 1, new Set([...seen, target]));
  }
  const out: Array<Array<string | number>> = [];
  if ((schema.type === 'integer' || schema.type === 'number') && path.length) out.push(path);
  for (const sub of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
    out.push(...numericBodyPaths(sub, path, depth + 1, seen));
  for (const [k, v] of Object.entries<any>(schema.properties ?? {})) out.push(...numericBodyPaths(v, [...path, k], depth + 1, seen));
  if (schema.items) out.push(...numericBodyPaths(schema.items, [...path, 0], depth + 1, seen));
  return out;
}

function setAt(path: Array<string | number>, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }), value);
}

const USAGE_SECRET = 'extremes-usage-secret-0123456789';

describe('numeric and date extremes for every numeric and date parameter in the OpenAPI document', () => {
  let t: TestApp;
  let token: string;
  const counted = { requests: 0 };

  beforeAll(async () => {
    // every value is one request: lift the per-client and per-tenant (marketplace) budgets
    // usage metering on, so the usage ingest's body numbers reach its validation
    t = await startTestApp({
      RATE_LIMIT_LIMIT: '1000000',
      AUTH_RATE_LIMIT_LIMIT: '1000000',
      RATE_LIMIT_REQUESTS: '1000000',
      KONG_USAGE_SECRET: USAGE_SECRET,
    });
    token = (await registerTenant(t.http, 'Extremes tenant')).token;
  });
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`numeric and date extremes: ${counted.requests} requests`);
    await t?.close();
  });

  async function call(op: Operation, query: Record<string, string>, body?: unknown) {
    const url = new URL(op.path.replace(/\{[^}]+\}/g, '6f1c2a5e-0c7d-4b8e-9a1f-2b3c4d5e6f70'), t.url);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers: Record<string, string> = op.path.startsWith('/api/admin/')
      ? { 'x-admin-token': t.config.admin.token! }
      : { authorization: `Bearer ${token}` };
    if (op.path === '/api/kong/usage') headers['x-kong-usage-secret'] = USAGE_SECRET;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, {
      method: op.method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    counted.requests++;
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (res.status >= 400)
      expect({ status: res.status, shape: typeof parsed?.statusCode === 'number' && typeof parsed?.message === 'string' }).toEqual({
        status: res.status,
        shape: true,
      });
    return { status: res.status, body: parsed, text };
  }
  const names = (body: any, field: string) =>
    Array.isArray(body?.details) && body.details.some((d: { field?: string }) => d.field === field);

  const numericParams = operations.flatMap((op) =>
    op.params
      .filter((p) => (p.in === 'query' || p.in === 'path') && isNumeric(p))
      .map((p) => [`${op.method} ${op.path} ${p.in} ${p.name}`, op, p] as const),
  );
  const dateParams = operations.flatMap((op) =>
    op.params
      // The audit log's cursor names a row id, not a date (test/audit.e2e-spec.ts covers it).
      .filter((p) => p.in === 'query' && (isDate(p) || (isCursor(p) && !op.path.endsWith('/audit'))))
      .map((p) => [`${op.method} ${op.path} ${p.name}`, op, p] as const),
  );
  const bodyNumbers = operations.flatMap((op) =>
    numericBodyPaths(op.bodySchema).map((path) => [`${op.method} ${op.path} body ${path.join('.')}`, op, path] as const),
  );

  it('finds the parameters it must cover', () => {
    // page/limit on every list, the log and usage date ranges and the log cursor
    expect(numericParams.length).toBeGreaterThanOrEqual(14);
    expect(dateParams.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'GET /api/logs from',
        'GET /api/logs to',
        'GET /api/logs cursor',
        'GET /api/usage from',
        'GET /api/usage to',
      ]),
    );
    expect(bodyNumbers.length).toBeGreaterThan(5);
  });

  it.each(numericParams)('%s: only plain integers within the documented bounds', async (_name, op, p) => {
    const { minimum = 0, maximum = Number.MAX_SAFE_INTEGER } = p.schema ?? {};
    const outside = [String(minimum - 1), String(maximum + 1), String(maximum * 10 ** 6), `${maximum}0`];
    for (const value of [...BAD_INTEGERS, ...outside]) {
      const res = await call(op, { [p.name]: value });
      expect({ value, status: res.status, named: names(res.body, p.name) }).toEqual({ value, status: 400, named: true });
    }
    for (const value of [String(minimum), String(maximum)]) {
      const res = await call(op, { [p.name]: value });
      expect({ value, status: res.status < 500, refusedForIt: res.status === 400 && names(res.body, p.name) }).toEqual({
        value,
        status: true,
        refusedForIt: false,
      });
    }
  });

  it.each(dateParams)(
    '%s: out-of-range, impossible and non-ISO dates are a 400 naming it; sane ones with any zone pass',
    async (_name, op, p) => {
      const encode = (d: string) => (isCursor(p) ? cursorOf(d) : d);
      for (const value of BAD_DATES) {
        const res = await call(op, { [p.name]: encode(value) });
        expect({ value, status: res.status, named: names(res.body, p.name) }).toEqual({ value, status: 400, named: true });
      }
      for (const value of GOOD_DATES) {
        // a range check may still refuse the pair (from after to, span too long): never for this parameter's format, never a 500
        const res = await call(op, { [p.name]: encode(value) });
        expect({
          value,
          ok: res.status < 500,
          formatRefused: res.status === 400 && names(res.body, p.name) && /ISO 8601|cursor is not/.test(res.text),
        }).toEqual({ value, ok: true, formatRefused: false });
      }
    },
  );

  it.each(bodyNumbers)('%s: extreme numbers never give a 500', async (_name, op, path) => {
    for (const value of BODY_NUMBERS) {
      const res = await call(op, {}, setAt(path, value));
      expect({ value, status: res.status, text: res.status >= 500 ? res.text.slice(0, 200) : '' }).toEqual({
        value,
        status: res.status < 500 ? res.status : 'not a 5xx',
        text: '',
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Concurrency on the "only one" rules: the same create fired in parallel gives exactly one
// success and clean 409s, never a 500 or a duplicate.
// ---------------------------------------------------------------------------------------------
describe('concurrent requests against every "only one" rule', () => {
  let t: TestApp;
  const ROUNDS = 10;
  const PARALLEL = 6;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_LIMIT: '1000000', AUTH_RATE_LIMIT_LIMIT: '1000000' });
  });
  afterAll(() => t?.close());

  async function race(fire: () => Promise<{ status: number; body: any }>) {
    const results = await Promise.all(Array.from({ length: PARALLEL }, fire));
    const statuses = results.map((r) => r.status).sort();
    expect({
      statuses,
      wins: statuses.filter((s) => s === 201).length,
      others: statuses.filter((s) => s !== 201).every((s) => s === 409),
    }).toEqual({ statuses, wins: 1, others: true });
    return results;
  }

  it('one account per email: parallel registrations', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const email = `race-${round}-${Date.now()}@example.test`;
      await race(() => t.http.post('/api/auth/register', { email, password: 'Sup3r-secret-passw0rd', tenantName: 'Race' }));
    }
  });

  it('one credential per name in a tenant (case-insensitive): parallel creates', async () => {
    const owner = await registerTenant(t.http, 'Race credentials');
    for (let round = 0; round < ROUNDS; round++) {
      let i = 0;
      const name = () => (i++ % 2 ? `Shared ${round}` : `SHARED ${round}`);
      await race(() =>
        t.http.post(
          '/api/credentials',
          { name: name(), connectorKey: 'http', authKind: 'bearer', secrets: { token: 'tok-123456' }, allowedHosts: ['api.example.com'] },
          { token: owner.token },
        ),
      );
      const list = await t.http.get('/api/credentials', { token: owner.token });
      expect(list.body.filter((c: { name: string }) => c.name.toLowerCase() === `shared ${round}`)).toHaveLength(1);
    }
  });

  it('one membership per email in a tenant: parallel adds of the same member', async () => {
    const owner = await registerTenant(t.http, 'Race members');
    for (let round = 0; round < ROUNDS; round++) {
      const email = `member-race-${round}-${Date.now()}@example.test`;
      await race(() =>
        t.http.post('/api/tenants/current/members', { email, password: 'member-password-1', role: 'member' }, { token: owner.token }),
      );
      const list = await t.http.get('/api/tenants/current/members', { token: owner.token });
      expect(list.body.filter((m: { email: string }) => m.email === email)).toHaveLength(1);
    }
  });
});
