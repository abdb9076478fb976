import { Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { QUEUES } from '../src/core/queue/queue.registry';
import { bullConnection } from '../src/core/redis/redis-connection';
import { FlowgateProcess, spawnFlowgate } from './support/spawn-flowgate';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

/**
 * Runs are readable the moment a 202 names them: with no worker running (ROLE=api), the job in
 * the queue is the only trace of a run, and GET /api/executions/{id} and the log show it as
 * `queued`, to its tenant only. A worker started afterwards records it as usual.
 */
describe('queued runs: readable before a worker records them (HTTP, PostgreSQL, Redis)', () => {
  let api: TestApp;
  let worker: FlowgateProcess | undefined;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let other: Awaited<ReturnType<typeof registerTenant>>;
  let workflow: { id: string; name: string };
  let second: { id: string; name: string };
  let manualId: string;
  let webhookId: string;

  beforeAll(async () => {
    api = await startTestApp({ ROLE: 'api' });
    owner = await registerTenant(api.http, 'Queued');
    other = await registerTenant(api.http, 'Queued elsewhere');
    workflow = await createWorkflow(api.http, owner.token, coreWorkflow());
    second = await createWorkflow(api.http, owner.token, coreWorkflow());
  });
  afterAll(async () => {
    await worker?.stop();
    await api.close();
  });

  const log = (token: string, query: Record<string, string | number>) => api.http.get('/api/logs', { token, query });

  it('a manual run and a webhook event are readable at once as queued, with their input and no steps', async () => {
    const payload = { user: { name: 'Alex' }, order: { id: 7 } };
    const run = await api.http.post(`/api/workflows/${workflow.id}/run`, { payload }, { token: owner.token });
    expect(run.status).toBe(202);
    manualId = run.body.executionId;
    const hook = await api.http.post(`/api/webhooks/${workflow.id}`, { order: { id: 8 } });
    expect(hook.status).toBe(202);
    webhookId = hook.body.executionId;

    const got = await api.http.get(`/api/executions/${manualId}`, { token: owner.token });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: manualId,
      workflowId: workflow.id,
      workflowName: workflow.name,
      workflowVersion: null,
      trigger: 'manual',
      status: 'queued',
      attempts: 0,
      error: null,
      input: payload,
      inputTruncated: false,
      steps: [],
      startedAt: null,
      finishedAt: null,
    });
    expect(Date.parse(got.body.receivedAt)).not.toBeNaN();
    expect((await api.http.get(`/api/executions/${webhookId}`, { token: owner.token })).body).toMatchObject({
      status: 'queued',
      trigger: 'webhook',
      input: { order: { id: 8 } },
    });
  });

  it('refuses a payload that is not a JSON object (run and dry-run), naming `payload`', async () => {
    for (const payload of ['x', [1, 2], 5, true]) {
      for (const path of ['run', 'dry-run']) {
        const res = await api.http.post(`/api/workflows/${workflow.id}/${path}`, { payload }, { token: owner.token });
        expect([path, payload, res.status, res.body.code]).toEqual([path, payload, 400, 'VALIDATION_FAILED']);
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'payload' })]);
      }
    }
    // omitted or null: the run gets a null trigger payload
    expect((await api.http.post(`/api/workflows/${workflow.id}/dry-run`, { payload: null }, { token: owner.token })).status).toBe(200);
    expect((await api.http.post(`/api/workflows/${workflow.id}/dry-run`, {}, { token: owner.token })).status).toBe(200);
  });

  it('is invisible to another tenant (404, and not in its log)', async () => {
    expect((await api.http.get(`/api/executions/${manualId}`, { token: other.token })).status).toBe(404);
    expect((await api.http.get(`/api/executions/${randomUUID()}`, { token: owner.token })).status).toBe(404);
    const theirs = await log(other.token, { status: 'queued' });
    expect(theirs.body.items).toEqual([]);
  });

  it('GET /api/logs?status=queued lists them newest first, applies the other filters and pages', async () => {
    const queued = await log(owner.token, { status: 'queued' });
    expect(queued.status).toBe(200);
    expect(queued.body.items.map((e: { id: string }) => e.id)).toEqual([webhookId, manualId]);
    expect(queued.body.items[0]).toMatchObject({
      status: 'queued',
      trigger: 'webhook',
      workflowId: workflow.id,
      workflowName: workflow.name,
    });
    expect(queued.body.queueScan).toMatchObject({ complete: true });

    expect((await log(owner.token, { status: 'queued', trigger: 'manual' })).body.items.map((e: { id: string }) => e.id)).toEqual([
      manualId,
    ]);
    expect((await log(owner.token, { status: 'queued', workflowId: second.id })).body.items).toEqual([]);
    expect((await log(owner.token, { status: 'queued', from: '2999-01-01T00:00:00Z' })).body.items).toEqual([]);
    // no status filter: the log is PostgreSQL's alone (reading the shared queue is asked for)
    expect((await log(owner.token, { workflowId: workflow.id })).body).toEqual({ items: [], nextCursor: null, queueScan: null });
    expect(
      (await log(owner.token, { status: 'queued,running', workflowId: workflow.id })).body.items.map((e: { id: string }) => e.id),
    ).toEqual([webhookId, manualId]);
    // a filter without `queued` does not read the queue
    const failed = await log(owner.token, { status: 'failed' });
    expect(failed.body).toEqual({ items: [], nextCursor: null, queueScan: null });

    const first = await log(owner.token, { status: 'queued', limit: 1 });
    expect(first.body.items.map((e: { id: string }) => e.id)).toEqual([webhookId]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await log(owner.token, { status: 'queued', limit: 1, cursor: first.body.nextCursor });
    expect(next.body.items.map((e: { id: string }) => e.id)).toEqual([manualId]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('a job a worker has taken but not yet recorded reads as running (a first attempt writes its row late)', async () => {
    const run = await api.http.post(`/api/workflows/${second.id}/run`, { payload: { order: { id: 9 } } }, { token: owner.token });
    const id = run.body.executionId as string;
    // Take the job the way a worker does, without running it: it is `active` and has no row.
    const taker = new Worker(QUEUES.executions, null, {
      connection: bullConnection(api.config.redis.url),
      prefix: api.config.queue.prefix,
      autorun: false,
    });
    const token = randomUUID();
    try {
      let job = await taker.getNextJob(token);
      // other jobs of this queue may come first: hand them straight back
      while (job && job.id !== id) {
        await job.moveToDelayed(Date.now(), token);
        job = await taker.getNextJob(token);
      }
      expect(job?.id).toBe(id);
      expect(await job!.getState()).toBe('active');
      expect((await api.http.get(`/api/executions/${id}`, { token: owner.token })).body).toMatchObject({
        id,
        status: 'running',
        steps: [],
      });
      expect((await log(owner.token, { status: 'running', workflowId: second.id })).body.items.map((e: { id: string }) => e.id)).toEqual([
        id,
      ]);
      expect((await log(owner.token, { status: 'queued', workflowId: second.id })).body.items).toEqual([]);
      await job!.moveToDelayed(Date.now(), token);
    } finally {
      await taker.close();
    }
  });

  it('once a worker runs them, the same ids show their recorded result and leave the queued view', async () => {
    // a separate process, as in production: an app started in this process would share its module state
    worker = await spawnFlowgate({
      ROLE: 'worker',
      DATABASE_URL: api.config.database.url,
      REDIS_URL: api.config.redis.url,
      QUEUE_PREFIX: api.config.queue.prefix,
      JWT_SECRET: api.config.auth.jwtSecret,
      ENCRYPTION_KEY: api.config.crypto.current.toString('hex'),
    });
    const done = await waitForExecution(api.http, owner.token, manualId);
    expect(done).toMatchObject({ id: manualId, status: 'succeeded', trigger: 'manual', workflowVersion: 1, attempts: 1 });
    expect(done.steps.map((s: { name: string }) => s.name)).toEqual(['shape', 'check']);
    expect(done.steps[0].output).toMatchObject({ greeting: 'Hello Alex' });
    await waitForExecution(api.http, owner.token, webhookId);
    const queued = await log(owner.token, { status: 'queued', workflowId: workflow.id });
    expect(queued.body.items).toEqual([]);
    const all = await log(owner.token, { workflowId: workflow.id });
    expect(all.body.items.map((e: { id: string; status: string }) => [e.id, e.status])).toEqual([
      [webhookId, 'succeeded'],
      [manualId, 'succeeded'],
    ]);
  });
});
