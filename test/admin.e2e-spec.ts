import { startTestApp, TestApp } from './support/test-app';

describe('admin API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_TOKEN: 'an-operator-token-of-some-length' });
  });
  afterAll(() => t.close());

  it('answers 401 without the admin token and with a wrong one', async () => {
    const missing = await t.http.get('/api/admin/system/health');
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('ADMIN_TOKEN_REQUIRED');
    const wrong = await t.http.get('/api/admin/system/health', { headers: { 'x-admin-token': 'an-operator-token-of-some-lengtX' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('ADMIN_TOKEN_INVALID');
  });

  it('does not accept a user JWT in place of the admin token', async () => {
    const reg = await t.http.post('/api/auth/register', {
      email: `admin-probe-${Date.now()}@example.test`,
      password: 'password-123',
      tenantName: 'X',
    });
    expect((await t.http.get('/api/admin/system/health', { token: reg.body.accessToken })).status).toBe(401);
  });

  it('reports database, Redis, queues, memory, uptime and version with the right token', async () => {
    const res = await t.http.get('/api/admin/system/health', { headers: { 'x-admin-token': 'an-operator-token-of-some-length' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.dependencies.database.status).toBe('up');
    expect(res.body.dependencies.redis.status).toBe('up');
    expect(typeof res.body.dependencies.database.latencyMs).toBe('number');
    expect(res.body.queues.executions).toEqual(expect.objectContaining({ waiting: expect.any(Number), active: expect.any(Number) }));
    expect(res.body.memory.rssBytes).toBeGreaterThan(0);
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof res.body.uptimeSeconds).toBe('number');
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('does not exist (404), even with some token', async () => {
    const t = await startTestApp({ ADMIN_TOKEN: '' });
    try {
      const res = await t.http.get('/api/admin/system/health', { headers: { 'x-admin-token': 'anything' } });
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
