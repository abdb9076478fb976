import { QueueService } from '../src/core/queue/queue.module';
import { TokenRefreshService } from '../src/modules/token-refresh/token-refresh.service';
import { connectCompany, MarketplaceEnv, startMarketplace, tokenRefreshDrained } from './marketplace/marketplace-env';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant } from './support/test-app';
import { waitFor } from './support/wait-for';

const ADMIN = { 'x-admin-token': 'test-admin-token-0123456789' };

/**
 * An operator's refresh-all against the hourly sweep's dedupe and the one-refresh-per-company
 * rule. Few companies on purpose: with two sweeps queued back to back, a company's two jobs
 * sit next to each other in the queue, so workers would take both at once without the lock.
 * System-wide (every active company), so a database of its own.
 */
describe('admin refresh-all: every call refreshes, never one company twice at once', () => {
  let db: PrivateDatabase;
  let m: MarketplaceEnv;
  let queues: QueueService;

  beforeAll(async () => {
    db = await createPrivateDatabase('refreshall');
    m = await startMarketplace({ DATABASE_URL: db.url, TOKEN_REFRESH_CONCURRENCY: '4' });
    queues = m.t.app.get(QueueService);
  });
  afterAll(async () => {
    await m?.close();
    await db?.drop();
  });

  it('two calls in the same hour enqueue two sweeps; each company is refreshed twice, one refresh at a time', async () => {
    const owner = await registerTenant(m.t.http);
    const a = (await connectCompany(m, owner, 'hubspot')).connection;
    const b = (await connectCompany(m, owner, 'hubspot')).connection;
    m.nango.resetStats();
    m.nango.latencyMs = 300; // long enough that jobs taken together overlap at the fake
    try {
      const first = await m.t.http.post('/api/admin/tokens/refresh-all', undefined, { headers: ADMIN });
      const second = await m.t.http.post('/api/admin/tokens/refresh-all', undefined, { headers: ADMIN });
      for (const res of [first, second]) {
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ companies: 2, enqueued: 2 });
      }
      expect(first.body.sweepId).not.toBe(second.body.sweepId);

      await waitFor(() => a.forcedRefreshes === 2 && b.forcedRefreshes === 2, 'two forced refreshes of each company', 30_000);
      await tokenRefreshDrained(queues);
      expect([a.forcedRefreshes, b.forcedRefreshes]).toEqual([2, 2]);
      // Never two refreshes of one connection in flight; the two companies did run side by side.
      expect([a.peakRefreshInFlight, b.peakRefreshInFlight]).toEqual([1, 1]);
      expect(m.nango.stats.peakRefreshInFlight).toBe(2);
    } finally {
      m.nango.latencyMs = 0;
    }
  });

  it('the scheduled sweep stays deduplicated per company and hour', async () => {
    const refresher = m.t.app.get(TokenRefreshService);
    const inTwoHours = new Date(Date.now() + 2 * 3600_000); // a fresh hour bucket, all tokens due
    const first = await refresher.enqueueDue(inTwoHours);
    const second = await refresher.enqueueDue(inTwoHours);
    expect(first).toEqual({ companies: 2, enqueued: 2, alreadyQueued: 0 });
    expect(second).toEqual({ companies: 2, enqueued: 0, alreadyQueued: 2 });
    await tokenRefreshDrained(queues);
  });
});
