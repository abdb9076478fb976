import { startTestApp, TestApp } from './support/test-app';

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
    const reg = await t.http.post('/api/auth/register', { email: `log-${Date.now()}@example.test`, password: 'password-123', tenantName: 'Logs' });
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
    const res = await t.http.get('/metrics');
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
    } finally {
      await t.close();
    }
  });
});
