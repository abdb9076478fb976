import { startKongFake } from './fakes/kong-admin.fake';
import { startNangoFake } from './fakes/nango';
import { startRedisServer } from './support/redis-server';
import { startTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const ADMIN = { 'x-admin-token': 'test-admin-token-0123456789' };

describe('health and readiness', () => {
  it('serves /health, /health/live, /health/ready and /health/detailed', async () => {
    const t = await startTestApp();
    try {
      expect((await t.http.get('/health')).body).toMatchObject({ status: 'ok' });
      expect((await t.http.get('/health/live')).status).toBe(200);
      const ready = await t.http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.dependencies).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
      const detailed = await t.http.get('/health/detailed', { headers: ADMIN });
      expect(detailed.body.dependencies.database.latencyMs).toEqual(expect.any(Number));
      expect(detailed.body.dependencies.redis.latencyMs).toEqual(expect.any(Number));
    } finally {
      await t.close();
    }
  });

  it('the public probes say up or down and nothing else; /health/detailed needs the admin token', async () => {
    const t = await startTestApp();
    try {
      expect((await t.http.get('/health')).body).toEqual({ status: 'ok' });
      expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
      expect((await t.http.get('/health/ready')).body).toEqual({
        status: 'ok',
        dependencies: { database: { status: 'up' }, redis: { status: 'up' } },
      });

      const anonymous = await t.http.get('/health/detailed');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'ADMIN_TOKEN_REQUIRED' });
      expect(anonymous.text).not.toContain('memory');
      const wrong = await t.http.get('/health/detailed', { headers: { 'x-admin-token': 'not-the-token' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('ADMIN_TOKEN_INVALID');
      const admin = await t.http.get('/health/detailed', { headers: ADMIN });
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({ status: 'ok', version: expect.any(String), memory: { rssBytes: expect.any(Number) } });
    } finally {
      await t.close();
    }
  });

  it('reuses a detailed result for HEALTH_DETAILED_CACHE_MS: Nango and Kong are asked once for many calls', async () => {
    const [nango, kong] = await Promise.all([startNangoFake(), startKongFake()]);
    const t = await startTestApp({
      NANGO_HOST: nango.url,
      NANGO_SECRET_KEY: nango.secretKey,
      KONG_ADMIN_URL: kong.url,
      HEALTH_DETAILED_CACHE_MS: '600000',
    });
    const nangoPings = () => nango.requests.filter((r) => r.method === 'GET' && r.path === '/connections').length;
    const kongStatus = () => kong.requests.filter((r) => r.method === 'GET' && r.path === '/status').length;
    try {
      const [nangoBefore, kongBefore] = [nangoPings(), kongStatus()];
      const first = await t.http.get('/health/detailed', { headers: ADMIN });
      expect(first.body.dependencies).toMatchObject({ nango: { status: 'up' }, kong: { status: 'up' } });
      const more = await Promise.all(Array.from({ length: 5 }, () => t.http.get('/health/detailed', { headers: ADMIN })));
      for (const r of [...more, await t.http.get('/health/detailed', { headers: ADMIN })]) {
        expect(r.status).toBe(200);
        expect(r.body.dependencies).toEqual(first.body.dependencies);
      }
      expect([nangoPings() - nangoBefore, kongStatus() - kongBefore]).toEqual([1, 1]);
    } finally {
      await t.close();
      await Promise.all([nango.close(), kong.close()]);
    }
  });

  it('answers 503 naming Redis while Redis is unreachable, and 200 again when it is back', async () => {
    const redis = await startRedisServer();
    const t = await startTestApp({ REDIS_URL: redis.url });
    try {
      expect((await t.http.get('/health/ready')).status).toBe(200);
      await redis.stop();
      const down = await waitFor(async () => {
        const r = await t.http.get('/health/ready');
        return r.status === 503 ? r : undefined;
      }, 'readiness to report the outage');
      expect(down.body).toMatchObject({ statusCode: 503, code: 'NOT_READY' });
      expect(down.body.message).toMatch(/redis is down/);
      // the public probe names the dependency, never the driver's error (it can quote addresses)
      expect(down.body.details).toEqual([
        { field: 'database', message: 'up', status: 'up' },
        { field: 'redis', message: 'down', status: 'down' },
      ]);
      expect(down.body.message).toBe('Not ready: redis is down');
      // liveness is about the process, not its dependencies
      expect((await t.http.get('/health/live')).status).toBe(200);
      expect((await t.http.get('/health')).status).toBe(200);
      await redis.start();
      await waitFor(async () => (await t.http.get('/health/ready')).status === 200, 'readiness to recover');
    } finally {
      await t.close();
      await redis.stop();
    }
  });

  // The document promises no 503 on these (x-no-dependencies): they report the outage in a 200.
  it('the operator views answer 200 while Redis is unreachable: degraded, with the queue counts and sections that wait on it cut short', async () => {
    const redis = await startRedisServer();
    const t = await startTestApp({ REDIS_URL: redis.url });
    try {
      await redis.stop();
      await waitFor(async () => (await t.http.get('/health/ready')).status === 503, 'readiness to report the outage');
      const detailed = await t.http.get('/health/detailed', { headers: ADMIN });
      expect(detailed.status).toBe(200);
      expect(detailed.body.status).toBe('degraded');
      expect(detailed.body.dependencies.redis).toMatchObject({ status: 'down', error: expect.any(String) });
      expect(detailed.body.dependencies.database.status).toBe('up');

      const report = await t.http.get('/api/admin/system/health', { headers: ADMIN });
      expect(report.status).toBe(200);
      expect(report.body.status).toBe('degraded');
      expect(report.body.queues).toEqual({ error: expect.stringMatching(/^queue counts unavailable/) });
      expect(report.body.nango).toEqual({ error: expect.stringMatching(/nango section did not answer/) });

      const metrics = await t.http.get('/metrics', { headers: ADMIN });
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('http_request_duration_seconds');
    } finally {
      await t.close();
      await redis.stop();
    }
  });
});
