import { QueueService } from '../src/core/queue/queue.module';
import { hubspotData } from './fakes/nango';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { PrivateRedis, startRedisServer } from './support/redis-server';
import { registerTenant } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('marketplace resilience', () => {
  describe('Redis goes away during reads', () => {
    let redis: PrivateRedis;
    let m: MarketplaceEnv;
    beforeAll(async () => {
      redis = await startRedisServer();
      m = await startMarketplace({ REDIS_URL: redis.url });
    });
    afterAll(async () => {
      await m.close();
      await redis.stop();
    });

    it('keeps company reads working from the database and process memory, and sees writes made meanwhile', async () => {
      const owner = await registerTenant(m.t.http);
      const { company, connection } = await connectCompany(m, owner, 'hubspot', { metadata: { business_name: 'Sturdy Inc' } });
      m.nango.setHubSpotData(connection.connectionId, hubspotData({ contacts: 12, products: 3 }));
      const sync = await m.t.http.post(`/api/companies/${company.id}/sync`, undefined, { token: owner.token });
      expect(sync.status).toBe(202);
      await waitFor(
        async () => (await m.t.http.get(`/api/companies/${company.id}/contacts`, { token: owner.token })).body.total === 12,
        'synced contacts',
      );
      // Let the job finish in BullMQ too: a job caught mid-flight when Redis loses its data
      // can keep the worker from closing (BullMQ waits for it), which is not what this tests.
      const syncQueue = m.t.app.get(QueueService).queue('companySync');
      await waitFor(async () => (await syncQueue.getJobState(sync.body.syncRunId)) === 'completed', 'sync job completed');
      // Warm the Redis cache.
      expect((await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token })).status).toBe(200);

      await redis.stop();

      for (let i = 0; i < 2; i++) {
        const list = await m.t.http.get('/api/companies', { token: owner.token });
        expect(list.status).toBe(200);
        expect(list.body.items.map((c: { businessName: string }) => c.businessName)).toEqual(['Sturdy Inc']);
        const one = await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token });
        expect(one.status).toBe(200);
        expect(one.body.status).toBe('active');
        const contacts = await m.t.http.get(`/api/companies/${company.id}/contacts`, { token: owner.token, query: { limit: 5 } });
        expect(contacts.status).toBe(200);
        expect(contacts.body).toMatchObject({ total: 12, limit: 5 });
      }

      // A write while Redis is down (the webhook needs only PostgreSQL) is seen by the next read.
      const hook = await m.nango.sendWebhook(`${m.t.url}/api/nango/webhook`, m.nango.authWebhook(connection, 'refresh', false));
      expect(hook.body).toEqual({ status: 'needs_reauth' });
      expect((await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token })).body.status).toBe('needs_reauth');

      // A sync cannot be queued without Redis: 503, never a 202 for work that is not stored.
      const override = await m.nango.sendWebhook(`${m.t.url}/api/nango/webhook`, m.nango.authWebhook(connection, 'override'));
      expect(override.body).toEqual({ status: 'company_upserted' });
      const noQueue = await m.t.http.post(`/api/companies/${company.id}/sync`, undefined, { token: owner.token });
      expect(noQueue.status).toBe(503);

      await redis.start();
      await waitFor(
        async () => (await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token })).body.status === 'active',
        'reads after Redis returns',
      );
      // Queues work again once BullMQ has reconnected.
      await waitFor(
        async () => (await m.t.http.post(`/api/companies/${company.id}/sync`, undefined, { token: owner.token })).status === 202,
        'sync accepted again',
        30_000,
        200,
      );
    });
  });

  describe('per-tenant rate limit', () => {
    let m: MarketplaceEnv;
    beforeAll(async () => {
      m = await startMarketplace({ RATE_LIMIT_REQUESTS: '3' });
    });
    afterAll(() => m.close());

    it('answers 429 with Retry-After past RATE_LIMIT_REQUESTS per minute, per tenant', async () => {
      const a = await registerTenant(m.t.http);
      const b = await registerTenant(m.t.http);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await m.t.http.get('/api/companies', { token: a.token })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await m.t.http.get('/api/auth/oauth-url', { token: a.token, query: { integration_id: 'hubspot' } });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('TENANT_RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await m.t.http.get('/api/companies', { token: b.token })).status).toBe(200);
    });
  });
});
