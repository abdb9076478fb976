import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A browser app on another origin must be able to call every operation: its preflight must be
 * answered with the method and every header the operation reads, and its script must be able
 * to read the headers the API answers with. Both lists are derived here from the OpenAPI
 * document, so a new header parameter or response header that CORS does not let through fails
 * this test.
 */
type Operation = {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  security?: Array<Record<string, unknown>>;
  responses: Record<string, { headers?: Record<string, unknown> }>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; in?: string; name?: string }>;
    responses?: Record<string, { headers?: Record<string, unknown> }>;
  };
};

const doc: Doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
const schemes = doc.components.securitySchemes;
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);

/** What a browser sends on this operation besides the safelisted headers. */
function requestHeaders(op: Operation): string[] {
  const headers = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
  for (const requirement of op.security ?? []) {
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name];
      if (scheme.type === 'http') headers.push('Authorization');
      if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name) headers.push(scheme.name);
    }
  }
  if (op.requestBody) headers.push('Content-Type');
  return [...new Set(headers.map((h) => h.toLowerCase()))];
}

const everyRequestHeader = [
  ...new Set([
    ...operations.flatMap(({ op }) => requestHeaders(op)),
    ...Object.values(schemes).flatMap((s) => (s.type === 'apiKey' && s.in === 'header' && s.name ? [s.name.toLowerCase()] : [])),
    'content-type',
    'authorization',
    'idempotency-key',
    'x-request-id',
  ]),
];
const everyResponseHeader = [
  ...new Set(
    [
      ...operations.flatMap(({ op }) => Object.values(op.responses).flatMap((r) => Object.keys(r.headers ?? {}))),
      ...Object.values(doc.components.responses ?? {}).flatMap((r) => Object.keys(r.headers ?? {})),
      'Retry-After',
      'Idempotent-Replayed',
      'X-Request-Id',
    ].map((h) => h.toLowerCase()),
  ),
];
const list = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '7f1c5e0a-3b7e-4c1d-9f0a-2b6c8d4e1a90');

describe('CORS for browser clients (CORS_ORIGINS)', () => {
  const ORIGIN = 'https://app.example.com';
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: `${ORIGIN},https://admin.example.com` });
  });
  afterAll(() => t?.close());

  const preflight = (app: TestApp, path: string, origin: string, method: string, headers: string[]) =>
    app.http.request('OPTIONS', concrete(path), undefined, {
      headers: {
        origin,
        'access-control-request-method': method,
        ...(headers.length ? { 'access-control-request-headers': headers.join(',') } : {}),
      },
    });

  it('the document has operations, header parameters and security headers to check', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(everyRequestHeader).toEqual(
      expect.arrayContaining(['idempotency-key', 'x-admin-token', 'x-flowgate-signature', 'authorization', 'content-type']),
    );
  });

  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))(
    'a preflight for %s from a configured origin allows its method and headers',
    async (_, { path, method, op }) => {
      const headers = requestHeaders(op);
      const res = await preflight(t, path, ORIGIN, method, headers);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(list(res.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase());
      expect(list(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(headers));
      expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    },
  );

  it('allows every request header the document names, on any route', async () => {
    const res = await preflight(t, '/api/workflows', ORIGIN, 'POST', everyRequestHeader);
    expect(list(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(everyRequestHeader));
  });

  it('lets the page read the response headers the API sends (Retry-After, Idempotent-Replayed, X-Request-Id, the declared ones)', async () => {
    const res = await t.http.get('/api/auth/me', { headers: { origin: 'https://admin.example.com' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect(res.headers.get('vary')).toMatch(/origin/i);
    expect(list(res.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(everyResponseHeader));
  });

  it('an origin that is not configured gets no Access-Control-Allow-Origin, on preflights and on requests', async () => {
    const evil = 'https://evil.example.net';
    const pre = await preflight(t, '/api/workflows', evil, 'POST', ['authorization', 'content-type']);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await t.http.get('/api/connectors', { headers: { origin: evil } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS unset or *', () => {
  it('unset: no CORS headers at all; `*`: any origin, never with credentials', async () => {
    const none = await startTestApp({ CORS_ORIGINS: '' });
    try {
      const res = await none.http.get('/api/connectors', { headers: { origin: 'https://app.example.com' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await none.close();
    }
    const any = await startTestApp({ CORS_ORIGINS: '*' });
    try {
      const pre = await any.http.request('OPTIONS', '/api/workflows', undefined, {
        headers: {
          origin: 'https://anywhere.example.org',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('https://anywhere.example.org');
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await any.close();
    }
  });
});
