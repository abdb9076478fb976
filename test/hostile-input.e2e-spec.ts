import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

type Operation = { method: string; path: string; params: Array<{ name: string; in: string }>; hasBody: boolean; documented: Set<number> };

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
const operations: Operation[] = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    params: (op.parameters ?? []) as Array<{ name: string; in: string }>,
    hasBody: Boolean(op.requestBody),
    documented: new Set(Object.keys(op.responses ?? {}).map(Number)),
  })),
);

/** A URL cannot carry a lone surrogate; the server never sees one, so replace it the way browsers do. */
const wellFormed = (v: string): string => (v as string & { toWellFormed(): string }).toWellFormed();

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 30);

// Values a careless parser chokes on.
const nasty = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'null', 'undefined', 'NaN', '-1', '1e309', '0x10', '../../etc/passwd', '%00', '%2e%2e%2f', "' OR 1=1 --", '<script>alert(1)</script>', '{{constructor.constructor("return process")()}}', '__proto__', 'constructor', 'prototype', '\uD800', '😀'.repeat(50), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
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

const contentTypeArb = fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'garbage/???');

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
    console.log(`hostile input: ${report.requests} requests over ${report.operations} operations (seed ${SEED}); statuses ${JSON.stringify(report.byStatus)}`);
    await t?.close();
  });

  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s: no 5xx, no hang, every error in the standard shape', async (_name, op) => {
    const samples = fc.sample(
      fc.record({
        pathValues: fc.array(nasty, { minLength: 4, maxLength: 4 }),
        query: fc.dictionary(fc.oneof(fc.constantFrom(...op.params.filter((p) => p.in === 'query').map((p) => p.name), 'limit', 'cursor'), fc.string({ maxLength: 8 })), nasty, { maxKeys: 4 }),
        body: bodyArb,
        contentType: contentTypeArb,
        auth: fc.constantFrom('user', 'user', 'user', 'none', 'garbage', 'admin'),
        extraHeader: fc.option(fc.tuple(fc.constantFrom('x-flowgate-signature', 'idempotency-key', 'x-nango-hmac-sha256', 'x-request-id', 'x-kong-usage-secret'), fc.string({ maxLength: 300 }))),
      }),
      { seed: SEED + op.path.length * 31 + op.method.length, numRuns: PER_OPERATION },
    );

    for (const s of samples) {
      let i = 0;
      const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(wellFormed(String(s.pathValues[i++ % 4]).slice(0, 500))) || 'x');
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
        body = typeof s.body === 'string' && s.body.startsWith('__raw__') ? s.body.slice(7) : JSON.stringify(s.body) ?? 'null';
      }
      const res = await fetch(url, { method: op.method, headers, body, signal: AbortSignal.timeout(15_000) });
      const text = await res.text();
      report.requests++;
      report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
      const where = `${op.method} ${url.pathname.slice(0, 120)} (auth=${s.auth}, ct=${s.contentType})`;

      if (res.status >= 500) {
        // A dependency that is deliberately unavailable (e.g. Nango not configured) is a
        // documented 502/503; anything else is a crash.
        expect({ where, status: res.status, documented: op.documented.has(res.status), text: text.slice(0, 300) }).toEqual({ where, status: res.status, documented: true, text: text.slice(0, 300) });
        expect(res.status).not.toBe(500);
      }
      if (res.status >= 400) {
        let parsed: any;
        expect(() => (parsed = JSON.parse(text))).not.toThrow();
        expect({ where, shape: parsed && typeof parsed.statusCode === 'number' && typeof parsed.error === 'string' && typeof parsed.message === 'string' }).toEqual({ where, shape: true });
        expect(parsed.statusCode).toBe(res.status);
      }
    }
    // prototype pollution would show up process-wide
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
