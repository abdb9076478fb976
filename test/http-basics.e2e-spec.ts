import { trickle } from './support/slow-client';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = { 'x-admin-token': 'test-admin-token-0123456789' };

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://app.example.com', BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => t.close());

  const expectErrorShape = (body: Record<string, unknown>, status: number) => {
    expect(body).toEqual(expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String) }));
    expect(Object.keys(body).every((k) => ['statusCode', 'error', 'message', 'code', 'details'].includes(k))).toBe(true);
  };

  it('answers an unknown route with 404 in the error shape', async () => {
    const res = await t.http.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await t.http.post('/api/auth/login', undefined, { raw: '{"email": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 400);
  });

  it('answers a body over the limit with 413', async () => {
    const res = await t.http.post('/api/auth/login', undefined, {
      raw: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(10_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 413);
  });

  it('answers an unsupported media type with 415', async () => {
    const res = await t.http.post('/api/auth/login', undefined, { raw: '<login/>', headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(415);
    expectErrorShape(res.body, 415);
  });

  it('echoes a given X-Request-Id and makes one otherwise', async () => {
    const given = await t.http.get('/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const made = await t.http.get('/health');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await t.http.get('/health', { headers: { 'x-request-id': 'bad id with spaces and ;"quotes"' } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the request id with tenant and user on authenticated requests', async () => {
    const reg = await t.http.post('/api/auth/register', {
      email: `log-${Date.now()}@example.test`,
      password: 'password-123',
      tenantName: 'Logs',
    });
    await t.http.get('/api/auth/me', { token: reg.body.accessToken, headers: { 'x-request-id': 'req-for-log-test' } });
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.req?.id === 'req-for-log-test' && l.res);
    expect(line).toMatchObject({ tenantId: reg.body.tenant.id, userId: reg.body.user.id });
    expect(JSON.stringify(line)).not.toContain(reg.body.accessToken);
  });

  it('sets security headers and CORS from config', async () => {
    const res = await t.http.get('/health', { headers: { origin: 'https://app.example.com' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await t.http.get('/health', { headers: { origin: 'https://evil.example.net' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('exposes Prometheus metrics with the route template, process metrics and queue depth', async () => {
    await t.http.get('/api/tenants/current/members');
    const res = await t.http.get('/metrics', { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/tenants\/current\/members"/);
    expect(res.text).toContain('process_cpu_seconds_total');
    expect(res.text).toMatch(/flowgate_queue_jobs\{queue="executions",state="waiting"\}/);
  });

  it('serves Swagger UI at /docs and the document at /docs-json', async () => {
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await t.http.get('/docs-json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.securitySchemes).toEqual(
      expect.objectContaining({ bearer: expect.any(Object), 'admin-token': expect.objectContaining({ name: 'X-Admin-Token' }) }),
    );
  });
});

describe('global rate limit', () => {
  it('answers 429 once the per-client budget is spent', async () => {
    const t = await startTestApp({ RATE_LIMIT_LIMIT: '3', RATE_LIMIT_TTL_SECONDS: '60' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/api/auth/me')).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[4]).toBe(429);
      // health probes are never throttled
      expect((await t.http.get('/health/live')).status).toBe(200);
      expect((await t.http.get('/health/ready')).status).toBe(200);
      // the routes that take the admin token are (each route has its own budget): it cannot be guessed at full speed
      for (const path of ['/metrics', '/health/detailed']) {
        const guesses: number[] = [];
        for (let i = 0; i < 4; i++) guesses.push((await t.http.get(path, { headers: { 'x-admin-token': `guess-${i}` } })).status);
        expect([path, guesses]).toEqual([path, [401, 401, 401, 429]]);
      }
    } finally {
      await t.close();
    }
  });

  /** Status of GET /api/auth/me sent with this X-Forwarded-For (401: let through, 429: throttled). */
  const meWith = async (t: TestApp, forwardedFor: string) =>
    (await t.http.get('/api/auth/me', { headers: { 'x-forwarded-for': forwardedFor } })).status;

  it('TRUST_PROXY unset: X-Forwarded-For names nobody, so a new value per request does not reset the budget', async () => {
    const t = await startTestApp({ RATE_LIMIT_LIMIT: '3', RATE_LIMIT_TTL_SECONDS: '60' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push(await meWith(t, `198.51.100.${i + 1}`));
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });

  it('TRUST_PROXY=1 (one proxy in front): the budget is the forwarded client’s; extra left-most values change nothing', async () => {
    const t = await startTestApp({ RATE_LIMIT_LIMIT: '3', RATE_LIMIT_TTL_SECONDS: '60', TRUST_PROXY: '1' });
    try {
      // The proxy appends the address it saw; a client may send any X-Forwarded-For of its own before that.
      const client = '203.0.113.7';
      const statuses = [await meWith(t, client), await meWith(t, `10.9.9.1, ${client}`), await meWith(t, `1.2.3.4, 5.6.7.8, ${client}`)];
      for (let i = 0; i < 3; i++) statuses.push(await meWith(t, `192.0.2.${i + 10}, ${client}`));
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      // another client behind the same proxy has a budget of its own
      expect(await meWith(t, '203.0.113.8')).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('TRUST_PROXY as addresses: only a peer in the list may name the client', async () => {
    const viaLoopback = await startTestApp({ RATE_LIMIT_LIMIT: '2', TRUST_PROXY: '127.0.0.0/8, ::1' });
    const viaOther = await startTestApp({ RATE_LIMIT_LIMIT: '2', TRUST_PROXY: '10.0.0.5' });
    try {
      // the test client connects from loopback: a trusted proxy in the first app, a client in the second
      expect([
        await meWith(viaLoopback, '203.0.113.20'),
        await meWith(viaLoopback, '203.0.113.21'),
        await meWith(viaLoopback, '203.0.113.22'),
      ]).toEqual([401, 401, 401]);
      expect([
        await meWith(viaOther, '203.0.113.20'),
        await meWith(viaOther, '203.0.113.21'),
        await meWith(viaOther, '203.0.113.22'),
      ]).toEqual([401, 401, 429]);
    } finally {
      await Promise.all([viaLoopback.close(), viaOther.close()]);
    }
  });
});

describe('server timeouts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '61000' });
  });
  afterAll(() => t.close());

  // 80 bytes, one per 100 ms: about 8 s to send, far beyond both timeouts (Node's own defaults are 60 s and 300 s).
  const GAP_MS = 100;

  it('cuts off a client that sends its request headers one byte at a time', async () => {
    const headers = `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(40)}\r\n\r\n`;
    const r = await trickle(t.url, headers, GAP_MS);
    expect(r.cutOff).toBe(true);
    expect(r.answer === '' || r.answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('cuts off a client that sends its body one byte at a time', async () => {
    const body = JSON.stringify({ email: 'slow@example.test', password: 'x'.repeat(60) });
    const request = `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const headerBytes = request.length - body.length;
    // the headers go at once (fetch-speed); only the body trickles
    const r = await trickle(t.url, request, GAP_MS, headerBytes);
    expect(r.cutOff).toBe(true);
    expect(r.answer === '' || r.answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('tells clients how long an idle keep-alive connection stays open (HTTP_KEEP_ALIVE_TIMEOUT_MS)', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers.get('keep-alive')).toBe('timeout=61');
  });
});
