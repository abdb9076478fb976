import { DataSource } from 'typeorm';
import { startFake, FakeServer } from './fakes/fake-server';
import { spawnFlowgate, FlowgateProcess } from './support/spawn-flowgate';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { createWorkflow } from './support/workflow-helpers';

/**
 * Fault tests with real processes: an api-only app takes the webhooks; workers are separate
 * `node dist/src/main.js` processes that the tests kill or cut off from PostgreSQL.
 * (Redis unreachable → webhook 503 with nothing written is in webhooks.e2e-spec.ts.)
 */
describe('execution faults (processes, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let sink: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  const workers: FlowgateProcess[] = [];

  beforeAll(async () => {
    sink = await startFake({
      'POST /very-slow': async () => {
        await new Promise((r) => setTimeout(r, 1500));
        return { body: { ok: true } };
      },
      'POST /slow': async () => {
        await new Promise((r) => setTimeout(r, 20));
        return { body: { ok: true } };
      },
    });
    t = await startTestApp({ ROLE: 'api', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1' });
    owner = await registerTenant(t.http, 'Faults');
  });
  afterAll(async () => {
    for (const w of workers) await w.kill9();
    await t.close();
    await sink.close();
  });

  const workerEnv = (extra: Record<string, string> = {}) => ({
    ROLE: 'worker',
    DATABASE_URL: t.config.database.url,
    REDIS_URL: t.config.redis.url,
    QUEUE_PREFIX: t.config.queue.prefix,
    JWT_SECRET: t.config.auth.jwtSecret,
    ENCRYPTION_KEY: t.config.crypto.current.toString('hex'),
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
    EXECUTION_CONCURRENCY: '25',
    EXECUTION_LOCK_DURATION_MS: '4000',
    EXECUTION_STALLED_INTERVAL_MS: '1000',
    ...extra,
  });
  const startWorker = async (extra: Record<string, string> = {}) => {
    const w = await spawnFlowgate(workerEnv(extra));
    workers.push(w);
    return w;
  };
  const twoStepWorkflow = () =>
    createWorkflow(t.http, owner.token, {
      name: `fault ${Date.now()}`,
      trigger: { type: 'webhook' },
      steps: [
        { name: 'shape', type: 'transform', params: { n: '{{trigger.n}}' } },
        {
          name: 'post',
          connector: 'http',
          action: 'request',
          params: { method: 'POST', url: `${sink.url}/slow`, body: '{{steps.shape}}' },
        },
      ],
      settings: { retries: 2, backoff: { type: 'fixed', delayMs: 100 } },
    });
  const accept = async (workflowId: string, count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, (_, j) => t.http.post(`/api/webhooks/${workflowId}`, { n: i + j })),
      );
      for (const r of batch) {
        expect(r.status).toBe(202);
        ids.push(r.body.executionId);
      }
    }
    return ids;
  };
  const counts = async (workflowId: string) => {
    const rows: Array<{ status: string; n: number }> = await t.app
      .get(DataSource)
      .query(`SELECT status, count(*)::int AS n FROM executions WHERE workflow_id = $1 GROUP BY status`, [workflowId]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  };

  it('kill -9 of a worker with 1,000 executions queued or running: all 1,000 succeed, one row each', async () => {
    const w = await twoStepWorkflow();
    const ids = await accept(w.id, 1000);
    expect(new Set(ids).size).toBe(1000);

    const first = await startWorker();
    // kill it mid-flight: some runs finished, some running, most still queued
    await waitFor(async () => ((await counts(w.id)).succeeded ?? 0) >= 100, 'the first worker to finish 100 runs', 120_000, 50);
    await first.kill9();
    const atKill = await counts(w.id);
    expect(atKill.succeeded).toBeLessThan(1000);

    const second = await startWorker();
    await waitFor(async () => (await counts(w.id)).succeeded === 1000, 'all 1,000 runs to succeed on the second worker', 240_000, 250);

    const rows: Array<{ id: string; status: string; attempts: number }> = await t.app
      .get(DataSource)
      .query(`SELECT id, status, attempts FROM executions WHERE workflow_id = $1`, [w.id]);
    expect(rows).toHaveLength(1000);
    // runs that were in flight when the worker died were picked up again (stalled check), same row
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    await second.stop();
  });

  it('graceful shutdown: running steps that finish within SHUTDOWN_TIMEOUT_MS complete before the process exits', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'finishing steps',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'wait',
          connector: 'http',
          action: 'request',
          params: { method: 'POST', url: `${sink.url}/very-slow`, body: { n: '{{trigger.n}}' } },
        },
      ],
      settings: { retries: 0 },
    });
    const worker = await startWorker({ SHUTDOWN_TIMEOUT_MS: '20000', EXECUTION_CONCURRENCY: '3' });
    await accept(w.id, 3);
    await waitFor(async () => ((await counts(w.id)).running ?? 0) === 3, 'three runs in flight', 30_000, 50);
    await worker.stop();
    expect(await counts(w.id)).toEqual({ succeeded: 3 });
    workers.splice(workers.indexOf(worker), 1);
  });

  it('graceful shutdown: running steps get SHUTDOWN_TIMEOUT_MS, then are released to another worker (no failure, one row each)', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'slow steps',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'wait',
          connector: 'http',
          action: 'request',
          params: { method: 'POST', url: `${sink.url}/very-slow`, body: { n: '{{trigger.n}}' } },
        },
      ],
      settings: { retries: 0 },
    });
    const draining = await startWorker({ SHUTDOWN_TIMEOUT_MS: '300', EXECUTION_CONCURRENCY: '5' });
    const ids = await accept(w.id, 5);
    await waitFor(async () => ((await counts(w.id)).running ?? 0) === 5, 'five runs in flight', 30_000, 50);
    await draining.stop(); // SIGTERM; resolves when the process has exited
    const afterStop = await counts(w.id);
    expect(afterStop.failed ?? 0).toBe(0);

    await startWorker();
    await waitFor(async () => (await counts(w.id)).succeeded === 5, 'the released runs to succeed elsewhere', 60_000, 200);
    const rows: Array<{ id: string; attempts: number }> = await t.app
      .get(DataSource)
      .query(`SELECT id, attempts FROM executions WHERE workflow_id = $1`, [w.id]);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
    expect(rows.every((r) => r.attempts === 2)).toBe(true);
    for (const p of workers.splice(0)) await p.stop();
  });

  it('PostgreSQL unreachable: /health/ready answers 503, and queued work runs once it is back', async () => {
    const proxy: TcpProxy = await startTcpProxy('127.0.0.1', Number(new URL(t.config.database.url).port || 5432));
    const viaProxy = new URL(t.config.database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    // ROLE=all: it serves the API's /health/ready and runs jobs, all through the proxy
    const node = await startWorker({ ROLE: 'all', DATABASE_URL: viaProxy.toString(), DATABASE_POOL_SIZE: '4' });
    try {
      const w = await twoStepWorkflow();
      await proxy.cut();
      await waitFor(
        async () => (await fetch(`${node.url}/health/ready`)).status === 503,
        'readiness to report PostgreSQL down',
        30_000,
        200,
      );
      const ready = await (await fetch(`${node.url}/health/ready`)).json();
      expect(ready).toMatchObject({
        statusCode: 503,
        code: 'NOT_READY',
        details: expect.arrayContaining([
          expect.objectContaining({ field: 'database', status: 'down' }),
          expect.objectContaining({ field: 'redis', status: 'up' }),
        ]),
      });

      // the api (its own database connection) accepts events; the worker cannot record them yet
      const ids = await accept(w.id, 20);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await counts(w.id)).toEqual({});

      await proxy.restore();
      await waitFor(async () => (await fetch(`${node.url}/health/ready`)).status === 200, 'readiness to recover', 30_000, 200);
      await waitFor(async () => (await counts(w.id)).succeeded === 20, 'the queued runs to succeed', 60_000, 200);
      const rows: Array<{ id: string; attempts: number }> = await t.app
        .get(DataSource)
        .query(`SELECT id, attempts FROM executions WHERE workflow_id = $1`, [w.id]);
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
      // waiting for the database spent none of the runs' attempts
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
    } finally {
      await node.kill9();
      await proxy.close();
    }
  });
});
