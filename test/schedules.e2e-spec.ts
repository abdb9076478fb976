import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueueService } from '../src/core/queue/queue.module';
import { spawnFlowgate } from './support/spawn-flowgate';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow } from './support/workflow-helpers';

describe('schedule triggers on BullMQ job schedulers (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  let db: PrivateDatabase;
  beforeAll(async () => {
    // Reconciliation reads every tenant's scheduled workflows: keep other spec files' out.
    db = await createPrivateDatabase('schedules');
    t = await startTestApp({ DATABASE_URL: db.url });
    owner = await registerTenant(t.http, 'Cron');
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  /** Another replica of the same deployment (a separate process): same database, Redis, queue prefix and secrets. */
  const replicaEnv = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: t.config.database.url,
    REDIS_URL: t.config.redis.url,
    QUEUE_PREFIX: t.config.queue.prefix,
    JWT_SECRET: t.config.auth.jwtSecret,
    ENCRYPTION_KEY: t.config.crypto.current.toString('hex'),
    ...extra,
  });
  const schedulers = () => t.app.get(QueueService).queue('executions').getJobSchedulers(0, -1);
  const schedulerOf = async (id: string) => (await schedulers()).find((s) => s.key === id);
  const put = (path: string, body?: unknown) => t.http.put(path, body, { token: owner.token });

  it('keeps the scheduler in step with create, edit, toggle and delete', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ trigger: { type: 'schedule', intervalSeconds: 3600 } }));
    const s1 = await schedulerOf(w.id);
    expect(s1).toMatchObject({ key: w.id, name: 'scheduled', every: 3_600_000 });
    expect(s1?.template?.data).toEqual({ tenantId: owner.tenantId, workflowId: w.id, trigger: 'schedule' });
    expect(s1?.template?.opts).toMatchObject({ attempts: 1 });

    await put(`/api/workflows/${w.id}`, {
      trigger: { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Paris' },
      settings: { retries: 4 },
    });
    const s2 = await schedulerOf(w.id);
    expect(s2).toMatchObject({ pattern: '0 9 * * 1-5', tz: 'Europe/Paris' });
    expect(s2?.every).toBeFalsy();
    expect(s2?.template?.opts).toMatchObject({ attempts: 5 });
    expect((await schedulers()).filter((s) => s.key === w.id)).toHaveLength(1);

    await put(`/api/workflows/${w.id}/toggle`, { active: false });
    expect(await schedulerOf(w.id)).toBeUndefined();
    await put(`/api/workflows/${w.id}/toggle`, { active: true });
    expect(await schedulerOf(w.id)).toMatchObject({ pattern: '0 9 * * 1-5' });

    await put(`/api/workflows/${w.id}`, { trigger: { type: 'webhook' } });
    expect(await schedulerOf(w.id)).toBeUndefined();
    await put(`/api/workflows/${w.id}`, { trigger: { type: 'schedule', intervalSeconds: 600 } });
    expect(await schedulerOf(w.id)).toMatchObject({ every: 600_000 });

    expect((await t.http.delete(`/api/workflows/${w.id}`, { token: owner.token })).status).toBe(204);
    expect(await schedulerOf(w.id)).toBeUndefined();

    const inactive = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ active: false, trigger: { type: 'schedule', intervalSeconds: 60 } }),
    );
    expect(await schedulerOf(inactive.id)).toBeUndefined();
    const webhook = await createWorkflow(t.http, owner.token, coreWorkflow());
    expect(await schedulerOf(webhook.id)).toBeUndefined();
  });

  it('spreads interval schedules over their interval (stable per workflow)', async () => {
    const a = await createWorkflow(t.http, owner.token, coreWorkflow({ trigger: { type: 'schedule', intervalSeconds: 60 } }));
    const b = await createWorkflow(t.http, owner.token, coreWorkflow({ trigger: { type: 'schedule', intervalSeconds: 60 } }));
    const [sa, sb] = [await schedulerOf(a.id), await schedulerOf(b.id)];
    expect(sa?.offset).toBeGreaterThan(0);
    expect(sa?.offset).toBeLessThan(60_000);
    expect(sa?.offset).not.toBe(sb?.offset);
    await put(`/api/workflows/${a.id}`, { name: 'renamed' });
    expect((await schedulerOf(a.id))?.offset).toBe(sa?.offset);
    expect((await schedulerOf(a.id))?.next).toBe(sa?.next);
    for (const w of [a, b]) await put(`/api/workflows/${w.id}/toggle`, { active: false });
  });

  it('fires each tick exactly once with two replicas, and keeps firing after a replica is killed and restarted', async () => {
    // a second replica on the same queue prefix, database and Redis
    let replica = await spawnFlowgate(replicaEnv({ ROLE: 'worker' }));
    const w = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ trigger: { type: 'schedule', cron: '*/10 * * * * *', timezone: 'UTC' } }),
    );
    const db = t.app.get(DataSource);
    const rows = async () =>
      (await db.query(`SELECT id, status, trigger, scheduled_for, attempts FROM executions WHERE workflow_id = $1 ORDER BY scheduled_for`, [
        w.id,
      ])) as Array<{
        id: string;
        status: string;
        trigger: string;
        scheduled_for: Date;
        attempts: number;
      }>;
    // every 10 s, the shortest gap a schedule may have
    await waitFor(async () => (await rows()).filter((r) => r.status === 'succeeded').length >= 3, 'three ticks', 60_000, 200);

    // restart: the replica goes away and comes back; the schedule lives in Redis, not in a process
    await replica.kill9();
    replica = await spawnFlowgate(replicaEnv({ ROLE: 'worker' }));
    const countBefore = (await rows()).length;
    await waitFor(
      async () => (await rows()).filter((r) => r.status === 'succeeded').length >= countBefore + 2,
      'ticks after the restart',
      60_000,
      200,
    );
    await put(`/api/workflows/${w.id}/toggle`, { active: false });
    await replica.stop();

    const all = await rows();
    const ticks = all.map((r) => new Date(r.scheduled_for).getTime());
    expect(new Set(ticks).size).toBe(all.length); // one row per tick
    expect(ticks.every((ms) => ms % 10_000 === 0)).toBe(true);
    expect(all.every((r) => r.trigger === 'schedule' && r.attempts === 1)).toBe(true);
    const logs = await t.http.get('/api/logs', { token: owner.token, query: { workflowId: w.id, trigger: 'schedule', limit: 200 } });
    expect(logs.status).toBe(200);
    expect(logs.body.items.length).toBe(all.length);
    expect(logs.body.items[0].scheduledFor).toEqual(expect.any(String));
  }, 150_000);

  it('reconciles at start: restores a missing scheduler and removes an orphan, under a lock', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ trigger: { type: 'schedule', intervalSeconds: 3600 } }));
    const queue = t.app.get(QueueService).queue('executions');
    // what a Redis that lost its data (or a crash mid-edit) leaves behind
    await queue.removeJobScheduler(w.id);
    const orphan = randomUUID();
    await queue.upsertJobScheduler(
      orphan,
      { every: 3_600_000 },
      { name: 'scheduled', data: { tenantId: owner.tenantId, workflowId: orphan } },
    );
    expect(await schedulerOf(w.id)).toBeUndefined();

    // an api-only replica starting up reconciles (it takes no jobs)
    const api = await spawnFlowgate(replicaEnv({ ROLE: 'api', SCHEDULE_RECONCILE: 'true' }));
    try {
      await waitFor(async () => (await schedulerOf(w.id)) && !(await schedulerOf(orphan)), 'reconciliation at start', 20_000, 100).catch(
        (e) => {
          throw new Error(`${e.message}; replica said: ${api.output.slice(-8).join(' | ')}`);
        },
      );
      expect(await schedulerOf(w.id)).toMatchObject({ every: 3_600_000 });
    } finally {
      await api.stop();
    }
    await put(`/api/workflows/${w.id}/toggle`, { active: false });
  });
});
