import { startRedisServer } from './support/redis-server';
import { startTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('health and readiness', () => {
  it('serves /health, /health/live, /health/ready and /health/detailed', async () => {
    const t = await startTestApp();
    try {
      expect((await t.http.get('/health')).body).toMatchObject({ status: 'ok' });
      expect((await t.http.get('/health/live')).status).toBe(200);
      const ready = await t.http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.dependencies).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
      const detailed = await t.http.get('/health/detailed');
      expect(detailed.body.dependencies.database.latencyMs).toEqual(expect.any(Number));
      expect(detailed.body.dependencies.redis.latencyMs).toEqual(expect.any(Number));
    } finally {
      await t.close();
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
      expect(down.body.details.database.status).toBe('up');
      // liveness is about the process, not its dependencies
      expect((await t.http.get('/health/live')).status).toBe(200);
      await redis.start();
      await waitFor(async () => (await t.http.get('/health/ready')).status === 200, 'readiness to recover');
    } finally {
      await t.close();
      await redis.stop();
    }
  });
});
