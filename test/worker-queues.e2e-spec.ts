import { randomUUID } from 'node:crypto';
import { QueueService } from '../src/core/queue/queue.module';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** WORKER_QUEUES: a worker host takes jobs only from the queues it is given. */
describe('a host with WORKER_QUEUES=maintenance', () => {
  let t: TestApp;
  let queues: QueueService;

  beforeAll(async () => {
    // Token refresh set up as in production (never called here), so only WORKER_QUEUES keeps its schedulers away.
    t = await startTestApp({
      WORKER_QUEUES: 'maintenance',
      TOKEN_REFRESH_SCHEDULE: 'true',
      NANGO_HOST: 'http://127.0.0.1:9',
      NANGO_SECRET_KEY: `nango-${randomUUID()}`,
    });
    queues = t.app.get(QueueService);
  });
  afterAll(async () => {
    await t?.close();
  });

  const finished = (key: 'maintenance', id: string) =>
    waitFor(async () => {
      const job = await queues.queue(key).getJob(id);
      return job?.finishedOn ? job : undefined;
    }, `${key} job ${id} to finish`);

  it('runs maintenance jobs and leaves executions jobs queued', async () => {
    const run = await queues.add('executions', 'run', {
      tenantId: randomUUID(),
      workflowId: randomUUID(),
      trigger: 'manual',
      receivedAt: new Date().toISOString(),
      payload: null,
    });
    // Two maintenance jobs added after the run, both done: this host's workers are taking jobs.
    for (const name of ['reconcile-stuck', 'prune-executions'] as const) {
      const job = await finished('maintenance', (await queues.add('maintenance', name, {})).id!);
      expect(job.failedReason).toBeUndefined();
    }

    const still = await queues.queue('executions').getJob(run.id!);
    expect(await still!.getState()).toBe('waiting');
    expect(still!.attemptsMade).toBe(0);
  });

  it('installs the static schedulers of the queues it runs only', async () => {
    const keys = await waitFor(async () => {
      const found = (await queues.queue('maintenance').getJobSchedulers(0, -1)).map((s) => s.key).sort();
      return found.length === 4 ? found : undefined;
    }, 'the maintenance schedulers');
    expect(keys).toEqual(['ensure-execution-partitions', 'prune-audit', 'prune-executions', 'reconcile-stuck']);
    expect(await queues.queue('tokenRefresh').getJobSchedulers(0, -1)).toEqual([]);
  });
});
