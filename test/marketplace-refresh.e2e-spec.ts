import { DataSource } from 'typeorm';
import { QueueService } from '../src/core/queue/queue.module';
import { CLEANUP_SCHEDULER_ID, SWEEP_SCHEDULER_ID } from '../src/modules/token-refresh/token-refresh.processor';
import { TokenRefreshService } from '../src/modules/token-refresh/token-refresh.service';
import { FakeNangoConnection } from './fakes/nango';
import { connectCompany, MarketplaceEnv, startMarketplace, tokenRefreshDrained } from './marketplace/marketplace-env';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant } from './support/test-app';
import { waitFor } from './support/wait-for';

const ADMIN = { 'x-admin-token': 'test-admin-token-0123456789' };

/**
 * Sweeps, refresh-all and cleanup are system-wide, so this file has a database of its own.
 */
describe('token refresh, cleanup and admin token endpoints', () => {
  let db: PrivateDatabase;
  let m: MarketplaceEnv;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let queues: QueueService;
  let sql: DataSource;

  beforeAll(async () => {
    db = await createPrivateDatabase('refresh');
    m = await startMarketplace({ DATABASE_URL: db.url, TOKEN_REFRESH_SCHEDULE: 'true', TOKEN_REFRESH_CONCURRENCY: '3' });
    owner = await registerTenant(m.t.http);
    queues = m.t.app.get(QueueService);
    sql = m.t.app.get(DataSource);
  });
  afterAll(async () => {
    await m?.close();
    await db?.drop();
  });

  const company = async (id: string) => (await m.t.http.get(`/api/companies/${id}`, { token: owner.token })).body;

  async function runJob(name: 'sweep' | 'cleanup') {
    const job = await queues.add('tokenRefresh', name, {});
    return waitFor(async () => {
      const j = await queues.queue('tokenRefresh').getJob(job.id!);
      return j?.finishedOn ? (j.failedReason ? Promise.reject(new Error(j.failedReason)) : j.returnvalue) : undefined;
    }, `${name} job`);
  }

  const drained = () => tokenRefreshDrained(queues);

  async function connect(refresh: FakeNangoConnection['refresh'] = 'ok') {
    const { company: c, connection } = await connectCompany(m, owner, 'hubspot');
    connection.refresh = refresh;
    return { id: c.id, connection };
  }

  it('installs the hourly sweep and daily cleanup as BullMQ job schedulers', async () => {
    const q = queues.queue('tokenRefresh');
    const sweep = await waitFor(() => q.getJobScheduler(SWEEP_SCHEDULER_ID), 'sweep scheduler');
    const cleanup = await waitFor(() => q.getJobScheduler(CLEANUP_SCHEDULER_ID), 'cleanup scheduler');
    expect(sweep).toMatchObject({ pattern: '0 * * * *' });
    expect(cleanup).toMatchObject({ pattern: '30 3 * * *' });
    expect(await q.getGlobalConcurrency()).toBe(3);
  });

  it('refresh success: forced through Nango, new expiry recorded, no token kept', async () => {
    const c = await connect('ok');
    const oldToken = c.connection.accessToken;
    const before = await company(c.id);
    await runJob('sweep');
    const after = await waitFor(async () => {
      const x = await company(c.id);
      return x.lastRefreshStatus ? x : undefined;
    }, 'refresh recorded');
    expect(after).toMatchObject({ status: 'active', lastRefreshStatus: 'succeeded', lastRefreshError: null });
    expect(c.connection.forcedRefreshes).toBe(1);
    expect(c.connection.accessToken).not.toBe(oldToken);
    expect(Date.parse(after.tokenExpiresAt)).toBeGreaterThanOrEqual(Date.parse(before.tokenExpiresAt));
    const [row] = await sql.query(`SELECT row_to_json(c)::text AS j FROM companies c WHERE id = $1`, [c.id]);
    expect(row.j).not.toContain(c.connection.accessToken);
    expect(row.j).not.toContain(c.connection.refreshToken);
  });

  it('refresh failure (Nango 500): recorded, retried with backoff, then succeeds; company stays active', async () => {
    const c = await connect('error_once');
    await runJob('sweep');
    const after = await waitFor(async () => {
      const x = await company(c.id);
      return x.lastRefreshStatus === 'succeeded' ? x : undefined;
    }, 'retried refresh');
    expect(c.connection.forcedRefreshes).toBe(2);
    expect(after.status).toBe('active');
  });

  it('refresh failure that persists: every attempt recorded with its error, still active for the next sweep', async () => {
    const c = await connect('error');
    await runJob('sweep');
    await waitFor(() => c.connection.forcedRefreshes >= 3, 'three attempts', 30_000);
    await drained();
    const x = await company(c.id);
    expect(x).toMatchObject({ status: 'active', lastRefreshStatus: 'failed' });
    expect(x.lastRefreshError).toContain('unexpected error');
    const tokens = await m.t.http.get('/api/admin/tokens', { headers: ADMIN, query: { limit: 100 } });
    expect(tokens.body.items.find((t: { companyId: string }) => t.companyId === c.id).refreshFailures).toBe(3);
  });

  it('provider rejection (400 invalid_credentials) and exhaustion (424): needs_reauth, not retried until a new auth webhook', async () => {
    const invalid = await connect('invalid');
    const exhausted = await connect('exhausted');
    await runJob('sweep');
    await drained();
    for (const c of [invalid, exhausted]) {
      const x = await company(c.id);
      expect(x).toMatchObject({ status: 'needs_reauth', lastRefreshStatus: 'failed' });
      expect(c.connection.forcedRefreshes).toBe(1);
    }
    expect((await company(exhausted.id)).lastRefreshError).toContain('(424)');

    // A sweep in a later hour skips them (and, for the others, nothing refreshed minutes ago runs again).
    const refresher = m.t.app.get(TokenRefreshService);
    await refresher.enqueueDue(new Date(Date.now() + 3600_000));
    await drained();
    expect(invalid.connection.forcedRefreshes).toBe(1);
    expect(exhausted.connection.forcedRefreshes).toBe(1);

    // The customer re-authorizes: Nango sends an override; the company is active and refreshed again.
    exhausted.connection.refresh = 'ok';
    const hook = await m.nango.sendWebhook(`${m.t.url}/api/nango/webhook`, m.nango.authWebhook(exhausted.connection, 'override'));
    expect(hook.body).toEqual({ status: 'company_upserted' });
    expect((await company(exhausted.id)).status).toBe('active');
    await refresher.enqueueDue(new Date(Date.now() + 2 * 3600_000));
    await waitFor(() => exhausted.connection.forcedRefreshes === 2, 'refresh after re-authorization');
    expect(invalid.connection.forcedRefreshes).toBe(1);
  });

  it('a connection Nango does not find is recorded as a failed refresh; only the daily cleanup revokes', async () => {
    const c = await connect('ok');
    m.nango.connections.delete(`hubspot\u0000${c.connection.connectionId}`);
    await m.t.app.get(TokenRefreshService).enqueueDue(new Date(Date.now() + 3 * 3600_000));
    const x = await waitFor(async () => {
      const y = await company(c.id);
      return y.lastRefreshStatus === 'failed' ? y : undefined;
    }, 'refresh failure recorded');
    expect(x.status).toBe('active');
    expect(x.lastRefreshError).toContain('Connection not found');
    await drained();
  });

  it('two overlapping sweeps refresh each company once, with bounded concurrency', async () => {
    const fresh: Array<{ id: string; connection: FakeNangoConnection }> = [];
    for (let i = 0; i < 24; i++) fresh.push(await connect('ok'));
    m.nango.resetStats();
    m.nango.latencyMs = 50;
    try {
      const [a, b] = (await Promise.all([runJob('sweep'), runJob('sweep')])) as Array<{
        companies: number;
        enqueued: number;
        alreadyQueued: number;
      }>;
      await waitFor(
        async () => {
          const rows = await sql.query(
            `SELECT count(*)::int AS n FROM companies WHERE id = ANY($1) AND last_refresh_status = 'succeeded'`,
            [fresh.map((f) => f.id)],
          );
          return rows[0].n === fresh.length;
        },
        'all refreshed',
        30_000,
      );
      await drained();
      expect(fresh.map((f) => f.connection.forcedRefreshes)).toEqual(fresh.map(() => 1));
      // Between them the two sweeps enqueued each due company once.
      expect(a.companies).toBe(b.companies);
      expect(a.enqueued + b.enqueued).toBeLessThanOrEqual(a.companies);
      expect(a.enqueued + b.enqueued).toBeGreaterThanOrEqual(fresh.length);
      expect(m.nango.stats.peakRefreshInFlight).toBeLessThanOrEqual(3);
      expect(m.nango.stats.peakRefreshInFlight).toBeGreaterThan(0);
    } finally {
      m.nango.latencyMs = 0;
    }
  });

  it('admin: tokens list shows status and expiry but never a token; refresh-all answers 202 with the count', async () => {
    const c = await connect('ok');
    const list = await m.t.http.get('/api/admin/tokens', { headers: ADMIN, query: { limit: 100 } });
    expect(list.status).toBe(200);
    const entry = list.body.items.find((t: { companyId: string }) => t.companyId === c.id);
    expect(entry).toMatchObject({
      tenantId: owner.tenantId,
      connectionId: c.connection.connectionId,
      status: 'active',
      lastRefreshAt: null,
    });
    expect(entry.tokenExpiresAt).not.toBeNull();
    for (const conn of m.nango.connections.values()) {
      expect(list.text).not.toContain(conn.accessToken);
      if (conn.refreshToken) expect(list.text).not.toContain(conn.refreshToken);
    }
    expect(list.text).not.toContain(m.nango.secretKey);
    const filtered = await m.t.http.get('/api/admin/tokens', { headers: ADMIN, query: { status: 'needs_reauth' } });
    expect(filtered.body.items.every((t: { status: string }) => t.status === 'needs_reauth')).toBe(true);
    expect(filtered.body.total).toBe(1); // the 400 one; the 424 one was re-authorized
    expect((await m.t.http.get('/api/admin/tokens')).status).toBe(401);
    expect((await m.t.http.get('/api/admin/tokens', { token: owner.token })).status).toBe(401);

    const active = (await m.t.http.get('/api/admin/tokens', { headers: ADMIN, query: { status: 'active', limit: 1 } })).body.total;
    const all = await m.t.http.post('/api/admin/tokens/refresh-all', undefined, { headers: ADMIN });
    expect(all.status).toBe(202);
    expect(all.body).toEqual({ companies: active, enqueued: active, sweepId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // An operator asking again in the same hour gets a second sweep, not a no-op.
    const again = await m.t.http.post('/api/admin/tokens/refresh-all', undefined, { headers: ADMIN });
    expect(again.body).toEqual({ companies: active, enqueued: active, sweepId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(again.body.sweepId).not.toBe(all.body.sweepId);
    await waitFor(() => c.connection.forcedRefreshes === 2, 'both forced refreshes of the new company');
    await drained();
    expect(c.connection.peakRefreshInFlight).toBe(1);
  });

  it('admin system health reports Nango reachability and refresh statistics', async () => {
    const res = await m.t.http.get('/api/admin/system/health', { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body.dependencies.nango).toMatchObject({ status: 'up' });
    expect(res.body.nango).toMatchObject({
      configured: true,
      missingSettings: [],
      host: m.nango.url,
      reachable: { status: 'up' },
      refresh: { windowMinutes: 90, concurrency: 3 },
    });
    expect(res.body.nango.companies.needs_reauth).toBe(1);
    expect(res.body.nango.refresh.lastHour.succeeded).toBeGreaterThan(0);
    expect(res.body.nango.refresh.lastHour.failed).toBeGreaterThan(0);
    expect(res.text).not.toContain(m.nango.secretKey);
  });

  it('daily cleanup flags connections Nango no longer has as revoked and prunes old sync runs', async () => {
    const gone = await connect('ok');
    const kept = await connect('ok');
    await sql.query(`UPDATE companies SET created_at = now() - interval '1 hour' WHERE id = ANY($1)`, [[gone.id, kept.id]]);
    m.nango.connections.delete(`hubspot\u0000${gone.connection.connectionId}`);
    const [oldRun] = await sql.query(
      `INSERT INTO sync_runs (tenant_id, company_id, status, created_at) VALUES ($1, $2, 'succeeded', now() - interval '40 days') RETURNING id`,
      [owner.tenantId, kept.id],
    );
    const [newRun] = await sql.query(`INSERT INTO sync_runs (tenant_id, company_id, status) VALUES ($1, $2, 'succeeded') RETURNING id`, [
      owner.tenantId,
      kept.id,
    ]);
    const result = (await runJob('cleanup')) as { revoked: number; syncRunsPruned: number };
    expect(result.revoked).toBe(1);
    expect(result.syncRunsPruned).toBeGreaterThanOrEqual(1);
    expect((await company(gone.id)).status).toBe('revoked');
    expect((await company(kept.id)).status).toBe('active');
    const runs = await sql.query(`SELECT id FROM sync_runs WHERE id = ANY($1)`, [[oldRun.id, newRun.id]]);
    expect(runs.map((r: { id: string }) => r.id)).toEqual([newRun.id]);
  });

  it('never writes a token, the secret key or the webhook secret to the log', async () => {
    expect(m.t.logs.length).toBeGreaterThan(0);
    const all = m.t.logs.join('\n');
    for (const conn of m.nango.connections.values()) {
      expect(all).not.toContain(conn.accessToken);
      if (conn.refreshToken) expect(all).not.toContain(conn.refreshToken);
    }
    expect(all).not.toContain(m.nango.secretKey);
    expect(all).not.toContain(m.nango.webhookSecret);
  });
});
