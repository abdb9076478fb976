import Redis from 'ioredis';
import { QueueService } from '../src/core/queue/queue.module';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { PrivateRedis, startRedisServer } from './support/redis-server';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow } from './support/workflow-helpers';

/**
 * Job schedulers live only in Redis. A Redis that restarts without persistence comes back empty;
 * the SchedulerKeeper must put every workflow and maintenance scheduler back on reconnect,
 * without waiting for Flowgate to restart.
 */
describe('schedulers after Redis comes back empty', () => {
  let db: PrivateDatabase;
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    // Reconciliation reads every tenant's scheduled workflows: keep other spec files' out.
    db = await createPrivateDatabase('redis_loss');
    redis = await startRedisServer(); // no persistence: a restart loses everything
    t = await startTestApp({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      SCHEDULE_RECONCILE: 'true',
      SCHEDULER_CHECK_INTERVAL_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    await db?.drop();
  });

  const keysOf = async (queue: 'executions' | 'maintenance') =>
    (await t.app.get(QueueService).queue(queue).getJobSchedulers(0, -1)).map((s) => s.key).sort();

  it('restores workflow and maintenance schedulers after the reconnect', async () => {
    const owner = await registerTenant(t.http, 'Redis loss');
    const every = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ name: 'hourly', trigger: { type: 'schedule', intervalSeconds: 3600 } }),
    );
    const cron = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ name: 'nightly', trigger: { type: 'schedule', cron: '0 2 * * *', timezone: 'Europe/Paris' } }),
    );
    const inactive = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ name: 'off', active: false, trigger: { type: 'schedule', intervalSeconds: 600 } }),
    );
    const wanted = [every.id, cron.id].sort();
    await waitFor(async () => JSON.stringify(await keysOf('executions')) === JSON.stringify(wanted), 'the two active schedulers');
    await waitFor(async () => (await keysOf('maintenance')).length === 4, 'the maintenance schedulers');

    const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await probe.connect();
      await probe.set('marker', 'before the restart');
      probe.disconnect();
      await redis.stop();
      await redis.start();
      // The restarted server came back empty (no persistence)...
      await probe.connect();
      expect(await probe.get('marker')).toBeNull();
    } finally {
      probe.disconnect();
    }

    // ...and Flowgate puts the schedulers back once it has reconnected.
    await waitFor(
      async () => JSON.stringify(await keysOf('executions')) === JSON.stringify(wanted),
      'workflow schedulers restored',
      30_000,
    );
    expect(await keysOf('maintenance')).toEqual(['ensure-execution-partitions', 'prune-audit', 'prune-executions', 'reconcile-stuck']);
    const restored = (await t.app.get(QueueService).queue('executions').getJobSchedulers(0, -1)).find((s) => s.key === cron.id);
    expect(restored).toMatchObject({ pattern: '0 2 * * *', tz: 'Europe/Paris' });
    expect(wanted).not.toContain(inactive.id);
  }, 60_000);
});
