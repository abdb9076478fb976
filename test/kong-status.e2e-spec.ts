import { freePort } from './support/free-port';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

/** GET /api/kong/status and the templates when Kong is missing: a clear 503, never a 500. */
describe('Kong unreachable or not configured', () => {
  let unreachable: TestApp;
  let off: TestApp;

  beforeAll(async () => {
    // Nothing listens on this port: connection refused on every attempt.
    const port = await freePort();
    // passport keeps one global 'jwt' strategy per process: two apps in one file share a secret.
    const JWT_SECRET = 'kong-status-spec-jwt-secret-0123456789abcdef';
    unreachable = await startTestApp({ KONG_ADMIN_URL: `http://127.0.0.1:${port}`, KONG_ADMIN_RETRIES: '1', JWT_SECRET });
    off = await startTestApp({ KONG_ADMIN_URL: '', JWT_SECRET });
  });
  afterAll(async () => {
    await unreachable?.close();
    await off?.close();
  });

  it('answers 503 KONG_UNREACHABLE without revealing the Admin API address', async () => {
    const { token } = await registerTenant(unreachable.http);
    const res = await unreachable.http.get('/api/kong/status', { token });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'KONG_UNREACHABLE' });
    expect(res.body.message).toMatch(/unreachable/);
    expect(res.text).not.toContain('127.0.0.1');
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('health probes try Kong once and log nothing (the report says it is down)', async () => {
    const kongLines = () => unreachable.logs.filter((l) => l.includes('Kong GET /status')).length;
    const before = kongLines();
    const res = await unreachable.http.get('/health/detailed', { headers: { 'x-admin-token': 'test-admin-token-0123456789' } });
    expect(res.body.dependencies.kong).toMatchObject({ status: 'down', error: expect.stringContaining('unreachable') });
    expect(kongLines()).toBe(before);
  });

  it('answers 503 KONG_NOT_CONFIGURED when KONG_ADMIN_URL is empty, for status and templates', async () => {
    const { token } = await registerTenant(off.http);
    const status = await off.http.get('/api/kong/status', { token });
    expect(status.status).toBe(503);
    expect(status.body.code).toBe('KONG_NOT_CONFIGURED');
    expect(status.body.message).toContain('KONG_ADMIN_URL');
    const apply = await off.http.post(
      '/api/kong/templates',
      { workflow_id: '00000000-0000-4000-8000-000000000000', use_case: 'webhook_handler' },
      { token },
    );
    expect(apply.status).toBe(503);
    expect(apply.body.code).toBe('KONG_NOT_CONFIGURED');
    // Listing what exists still works without Kong.
    expect((await off.http.get('/api/kong/templates', { token })).status).toBe(200);
  });

  it('usage metering is off without KONG_USAGE_SECRET (503), whatever header is sent', async () => {
    const res = await off.http.post('/api/kong/usage', [], { headers: { 'x-kong-usage-secret': 'guess' } });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('KONG_USAGE_NOT_CONFIGURED');
  });
});
