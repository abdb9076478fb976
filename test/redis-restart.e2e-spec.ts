import { DataSource } from 'typeorm';
import { startRedisServer, PrivateRedis } from './support/redis-server';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow } from './support/workflow-helpers';

/**
 * Redis is killed (-9) and restarted while webhooks keep arriving. Every event answered 202
 * must end as exactly one succeeded execution; while Redis is away webhooks answer 503 (never
 * a 202 for work that is not stored) and readiness reports the outage.
 */
describe('Redis restart under webhook load', () => {
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await startRedisServer({ persistent: true });
    t = await startTestApp({
      REDIS_URL: redis.url,
      ENQUEUE_TIMEOUT_MS: '1000',
      EXECUTION_STALLED_INTERVAL_MS: '1000',
      EXECUTION_LOCK_DURATION_MS: '4000',
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('loses no accepted event and runs each exactly once', async () => {
    const owner = await registerTenant(t.http, 'Redis restart');
    const wf = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ settings: { retries: 3, backoff: { type: 'fixed', delayMs: 200 } } }),
    );

    const accepted: string[] = [];
    const statuses: Record<number, number> = {};
    let stopLoad = false;
    let n = 0;
    const load = (async () => {
      while (!stopLoad) {
        const batch = await Promise.all(
          Array.from({ length: 5 }, () =>
            t.http
              .post(`/api/webhooks/${wf.id}`, { user: { name: `u${n}` }, order: { id: String(n++) } })
              .catch(() => ({ status: 0, body: {} as any })),
          ),
        );
        for (const r of batch) {
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          if (r.status === 202) accepted.push(r.body.executionId);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    await waitFor(() => accepted.length >= 100, '100 events accepted before the outage');
    await redis.stop();
    const outage = await waitFor(async () => {
      const r = await t.http.get('/health/ready');
      return r.status === 503 ? r.body : undefined;
    }, 'readiness to report the Redis outage');
    expect(outage.message).toMatch(/redis/i);
    await new Promise((r) => setTimeout(r, 1500));
    const acceptedBeforeRestart = accepted.length;
    await redis.start();
    await waitFor(async () => (await t.http.get('/health/ready')).status === 200, 'readiness after Redis is back');
    await waitFor(() => accepted.length >= acceptedBeforeRestart + 100, '100 more events accepted after the restart');
    stopLoad = true;
    await load;

    expect(statuses[503] ?? 0).toBeGreaterThan(0); // the outage was visible to senders, not hidden behind a 202
    expect(Object.keys(statuses).filter((s) => !['202', '503'].includes(s))).toEqual([]);

    const ds = t.app.get(DataSource);
    const final = await waitFor(
      async () => {
        const rows: Array<{ status: string; n: number }> = await ds.query(
          `SELECT status, count(*)::int AS n FROM executions WHERE id = ANY($1::uuid[]) GROUP BY status`,
          [accepted],
        );
        const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
        return byStatus.succeeded === accepted.length ? byStatus : undefined;
      },
      `all ${accepted.length} accepted events to succeed`,
      90_000,
      250,
    );
    expect(final).toEqual({ succeeded: accepted.length });
    const [{ rows, distinct }] = await ds.query(
      `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS distinct FROM executions WHERE workflow_id = $1`,
      [wf.id],
    );
    expect(rows).toBe(distinct);
    expect(rows).toBe(accepted.length);
  });
});
