import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { QueueService } from '../src/core/queue/queue.module';
import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

describe('executions: worker, log, retry, dry run (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let sink: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let other: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    sink = await startEchoFake();
    t = await startTestApp({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      EXECUTION_STUCK_AFTER_SECONDS: '1',
      EXECUTION_MAX_STORED_BYTES: '2048',
    });
    owner = await registerTenant(t.http, 'Runs');
    other = await registerTenant(t.http, 'Elsewhere');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const httpStep = (path: string, extra: Record<string, unknown> = {}) => ({
    name: 'call',
    connector: 'http',
    action: 'request',
    params: { method: 'POST', url: `${sink.url}${path}`, body: { order: '{{trigger.order}}' }, ...extra },
  });
  const hits = (path: string) => sink.requests.filter((r) => r.path === path).length;
  const run = async (workflowId: string, payload: unknown, token = owner.token) => {
    const res = await t.http.post(`/api/workflows/${workflowId}/run`, { payload }, { token });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  const rowsFor = async (executionId: string) =>
    (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM executions WHERE id = $1', [executionId]))[0].n;

  describe('retries', () => {
    it('retries a retryable failure with backoff and records the final failure once, in one row', async () => {
      const w = await createWorkflow(t.http, owner.token, {
        name: 'always 503',
        trigger: { type: 'webhook' },
        steps: [httpStep('/status/503')],
        settings: { retries: 2, backoff: { type: 'exponential', delayMs: 50 } },
      });
      const before = hits('/status/503');
      const id = await run(w.id, { order: 1 });
      const e = await waitForExecution(t.http, owner.token, id);
      expect(e.status).toBe('failed');
      expect(e.attempts).toBe(3);
      expect(e.error).toMatchObject({ step: 'call', retryable: true, status: 503 });
      expect(e.steps[0]).toMatchObject({ name: 'call', status: 'failed', error: { retryable: true, status: 503 } });
      expect(hits('/status/503') - before).toBe(3);
      expect(await rowsFor(id)).toBe(1);
      const stats = await t.http.get(`/api/workflows/${w.id}/stats`, { token: owner.token });
      expect(stats.body.byStatus).toMatchObject({ failed: 1, succeeded: 0 });
      expect(stats.body.successRate).toBe(0);
    });

    it('fails at once, without retrying, when a retry cannot help (404)', async () => {
      const w = await createWorkflow(t.http, owner.token, {
        name: 'not found',
        trigger: { type: 'webhook' },
        steps: [httpStep('/status/404')],
        settings: { retries: 3, backoff: { type: 'fixed', delayMs: 20 } },
      });
      const before = hits('/status/404');
      const e = await waitForExecution(t.http, owner.token, await run(w.id, {}));
      expect(e).toMatchObject({ status: 'failed', attempts: 1, error: { retryable: false, status: 404 } });
      expect(hits('/status/404') - before).toBe(1);
    });

    it('succeeds on a later attempt after transient failures', async () => {
      const w = await createWorkflow(t.http, owner.token, {
        name: 'flaky',
        trigger: { type: 'webhook' },
        steps: [httpStep('/flaky')],
        settings: { retries: 2, backoff: { type: 'fixed', delayMs: 20 } },
      });
      sink.failNext({ status: 502, body: { error: 'bad gateway' } }, 2);
      const e = await waitForExecution(t.http, owner.token, await run(w.id, { id: 7 }));
      expect(e).toMatchObject({ status: 'succeeded', attempts: 3, error: null });
      expect(e.steps[0].output).toMatchObject({ status: 200 });
    });

    it('bounds every step by the step timeout', async () => {
      const w = await createWorkflow(t.http, owner.token, {
        name: 'hangs',
        trigger: { type: 'webhook' },
        steps: [httpStep('/hang')],
        settings: { retries: 0, stepTimeoutMs: 300 },
      });
      const e = await waitForExecution(t.http, owner.token, await run(w.id, {}));
      expect(e.status).toBe('failed');
      expect(e.error.retryable).toBe(true);
      expect(e.error.message).toMatch(/time(d)? ?out/i);
    });
  });

  it('runs condition branches and records the skipped steps', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'branches',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'gate',
          type: 'condition',
          params: { left: '{{trigger.total}}', operator: 'gt', right: 100, then: ['big'], else: ['small'] },
        },
        { name: 'big', type: 'transform', params: { size: 'big' } },
        { name: 'small', type: 'transform', params: { size: 'small' } },
        { name: 'always', type: 'transform', params: { size: '{{steps.big.size | default: "n/a"}}' } },
      ],
    });
    const big = await waitForExecution(t.http, owner.token, await run(w.id, { total: '150' }));
    const small = await waitForExecution(t.http, owner.token, await run(w.id, { total: 5 }));
    expect(big.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'succeeded', 'skipped', 'succeeded']);
    expect(big.steps[3].output).toEqual({ size: 'big' });
    expect(small.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'skipped', 'succeeded', 'succeeded']);
    expect(small.steps[1].skippedReason).toContain('gate');
    expect(small.steps[3].output).toEqual({ size: 'n/a' });
    expect(small.status).toBe('succeeded');
  });

  it('an event accepted for a workflow deactivated or deleted before it ran is recorded once, as cancelled', async () => {
    const queue = t.app.get(QueueService).queue('executions');
    const deactivated = await createWorkflow(t.http, owner.token, coreWorkflow());
    const deleted = await createWorkflow(t.http, owner.token, coreWorkflow());
    await queue.pause();
    try {
      const a = await t.http.post(`/api/webhooks/${deactivated.id}`, { order: { id: 1 } });
      const b = await t.http.post(`/api/webhooks/${deleted.id}`, { order: { id: 2 } });
      expect([a.status, b.status]).toEqual([202, 202]);
      // accepted but not yet picked up: the execution shows as queued (from the stored job), to its tenant only
      const queued = await t.http.get(`/api/executions/${a.body.executionId}`, { token: owner.token });
      expect(queued.body).toMatchObject({ id: a.body.executionId, status: 'queued', trigger: 'webhook', workflowId: deactivated.id });
      expect((await t.http.get(`/api/executions/${a.body.executionId}`, { token: other.token })).status).toBe(404);
      await t.http.put(`/api/workflows/${deactivated.id}/toggle`, { active: false }, { token: owner.token });
      await t.http.delete(`/api/workflows/${deleted.id}`, { token: owner.token });
      await queue.resume();
      const ea = await waitForExecution(t.http, owner.token, a.body.executionId, 30_000, (e) => e.status === 'cancelled');
      const eb = await waitForExecution(t.http, owner.token, b.body.executionId, 30_000, (e) => e.status === 'cancelled');
      expect(ea).toMatchObject({ workflowId: deactivated.id, error: { code: 'WORKFLOW_UNAVAILABLE' }, steps: [] });
      expect(ea.error.message).toContain('deactivated');
      expect(eb).toMatchObject({ workflowId: null, workflowName: '(deleted workflow)', error: { code: 'WORKFLOW_UNAVAILABLE' } });
      expect(await rowsFor(a.body.executionId)).toBe(1);
    } finally {
      await queue.resume();
    }
  });

  it('dry run answers every step (rendered input, output, status, duration) and writes no execution', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'dry',
      trigger: { type: 'webhook' },
      steps: [
        { name: 'shape', type: 'transform', params: { greeting: 'Hi {{trigger.user.name}}' } },
        httpStep('/dry', { headers: { Authorization: 'Bearer dry-run-secret-123456' }, body: '{{steps.shape}}' }),
      ],
    });
    const res = await t.http.post(`/api/workflows/${w.id}/dry-run`, { payload: { user: { name: 'Alex' } } }, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', workflowVersion: 1 });
    expect(res.body.steps).toEqual([
      expect.objectContaining({
        name: 'shape',
        status: 'succeeded',
        input: { greeting: 'Hi Alex' },
        output: { greeting: 'Hi Alex' },
        durationMs: expect.any(Number),
      }),
      expect.objectContaining({
        name: 'call',
        status: 'succeeded',
        output: expect.objectContaining({ status: 200 }),
        durationMs: expect.any(Number),
      }),
    ]);
    expect(res.body.steps[1].input.body).toEqual({ greeting: 'Hi Alex' });
    expect(sink.requests.find((r) => r.path === '/dry')?.body).toEqual({ greeting: 'Hi Alex' });
    expect(res.text).not.toContain('dry-run-secret-123456');
    const logs = await t.http.get('/api/logs', { token: owner.token, query: { workflowId: w.id } });
    expect(logs.body.items).toEqual([]);

    const failing = await createWorkflow(t.http, owner.token, {
      name: 'dry fail',
      trigger: { type: 'webhook' },
      steps: [httpStep('/status/404'), { name: 'after', type: 'transform', params: { a: 1 } }],
    });
    const dry = await t.http.post(`/api/workflows/${failing.id}/dry-run`, {}, { token: owner.token });
    expect(dry.body).toMatchObject({ status: 'failed', error: { step: 'call', retryable: false } });
    expect(dry.body.steps.map((s: { status: string }) => s.status)).toEqual(['failed', 'skipped']);
  });

  describe('the log', () => {
    let tenant: Awaited<ReturnType<typeof registerTenant>>;
    let wOk: { id: string };
    let wBad: { id: string };
    const ids: string[] = [];

    beforeAll(async () => {
      tenant = await registerTenant(t.http, 'Logs');
      wOk = await createWorkflow(t.http, tenant.token, coreWorkflow());
      wBad = await createWorkflow(t.http, tenant.token, {
        name: 'bad',
        trigger: { type: 'webhook' },
        steps: [httpStep('/status/400')],
        settings: { retries: 0 },
      });
      for (let i = 0; i < 5; i++) ids.push(await run(wOk.id, { order: { id: i } }, tenant.token));
      ids.push((await t.http.post(`/api/webhooks/${wOk.id}`, { order: { id: 'w' } })).body.executionId);
      ids.push(await run(wBad.id, {}, tenant.token));
      for (const id of ids) await waitForExecution(t.http, tenant.token, id);
    });

    it('filters by status, workflow, trigger and time range', async () => {
      const q = (query: Record<string, string>) => t.http.get('/api/logs', { token: tenant.token, query });
      const failed = await q({ status: 'failed' });
      expect(failed.body.items.map((e: { workflowId: string }) => e.workflowId)).toEqual([wBad.id]);
      expect((await q({ status: 'succeeded,failed' })).body.items).toHaveLength(7);
      expect((await q({ workflowId: wOk.id })).body.items).toHaveLength(6);
      expect((await q({ trigger: 'webhook' })).body.items.map((e: { id: string }) => e.id)).toEqual([ids[5]]);
      expect((await q({ trigger: 'manual', workflowId: wOk.id })).body.items).toHaveLength(5);
      const all = (await q({})).body.items;
      const newest = all[0].receivedAt;
      expect((await q({ from: newest })).body.items.every((e: { receivedAt: string }) => e.receivedAt >= newest)).toBe(true);
      expect((await q({ to: '2000-01-01T00:00:00Z' })).body.items).toEqual([]);
      expect((await q({ status: 'exploded' })).status).toBe(400);
      expect((await q({ from: 'yesterday' })).status).toBe(400);
      expect((await q({ from: '2030-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' })).status).toBe(400);
    });

    it('pages with a cursor, newest first, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await t.http.get('/api/logs', { token: tenant.token, query: { limit: 3, cursor } });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((e: { id: string }) => e.id));
        cursor = res.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      expect(seen.sort()).toEqual([...ids].sort());
      const all = (await t.http.get('/api/logs', { token: tenant.token })).body.items;
      const times = all.map((e: { receivedAt: string }) => e.receivedAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect((await t.http.get('/api/logs', { token: tenant.token, query: { cursor: 'garbage' } })).status).toBe(400);
    });

    it('shows per-step detail for one execution', async () => {
      const e = (await t.http.get(`/api/executions/${ids[0]}`, { token: tenant.token })).body;
      expect(e).toMatchObject({
        id: ids[0],
        status: 'succeeded',
        trigger: 'manual',
        workflowId: wOk.id,
        attempts: 1,
        input: { order: { id: 0 } },
      });
      expect(e.steps[0]).toMatchObject({ name: 'shape', type: 'transform', status: 'succeeded', output: { orderId: 0 } });
      expect(typeof e.durationMs).toBe('number');
    });

    it("hides another tenant's executions on every verb", async () => {
      const as = { token: other.token };
      expect((await t.http.get(`/api/executions/${ids[0]}`, as)).status).toBe(404);
      expect((await t.http.post(`/api/executions/${ids[0]}/retry`, undefined, as)).status).toBe(404);
      expect((await t.http.get('/api/logs', { ...as, query: { workflowId: wOk.id } })).body.items).toEqual([]);
      expect((await t.http.get(`/api/executions/${randomUUID()}`, { token: tenant.token })).status).toBe(404);
    });
  });

  describe('retry', () => {
    it('runs again with the same input as a new execution pointing at the first', async () => {
      const w = await createWorkflow(t.http, owner.token, {
        name: 'replay',
        trigger: { type: 'webhook' },
        steps: [httpStep('/replay', { body: { token: '{{trigger.token}}', big: '{{trigger.big}}' } })],
      });
      const payload = { token: 'tok-secret-value-1', big: 'y'.repeat(3000) };
      const first = await waitForExecution(t.http, owner.token, await run(w.id, payload));
      expect(first.status).toBe('succeeded');
      // stored input: secret redacted and size-capped (EXECUTION_MAX_STORED_BYTES=2048)
      expect(first.inputTruncated).toBe(true);
      expect(first.input).toMatchObject({ truncated: true, originalBytes: expect.any(Number) });
      expect(JSON.stringify(first)).not.toContain('tok-secret-value-1');

      const res = await t.http.post(`/api/executions/${first.id}/retry`, undefined, { token: owner.token });
      expect(res.status).toBe(202);
      const again = await waitForExecution(t.http, owner.token, res.body.executionId);
      expect(again).toMatchObject({ status: 'succeeded', trigger: 'retry', retryOf: first.id });
      const sent = sink.requests.filter((r) => r.path === '/replay').map((r) => r.body);
      expect(sent).toHaveLength(2);
      expect(sent[1]).toEqual(sent[0]);
      expect(sent[1]).toEqual({ token: 'tok-secret-value-1', big: payload.big });
      expect(t.logs.join('\n')).not.toContain('tok-secret-value-1');
    });

    it('refuses to retry an execution of a deleted workflow', async () => {
      const w = await createWorkflow(t.http, owner.token, coreWorkflow());
      const e = await waitForExecution(t.http, owner.token, await run(w.id, { order: { id: 1 } }));
      await t.http.delete(`/api/workflows/${w.id}`, { token: owner.token });
      const res = await t.http.post(`/api/executions/${e.id}/retry`, undefined, { token: owner.token });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('WORKFLOW_DELETED');
      // the log outlives its workflow
      expect((await t.http.get(`/api/executions/${e.id}`, { token: owner.token })).body).toMatchObject({
        workflowId: null,
        status: 'succeeded',
      });
    });
  });

  describe('maintenance', () => {
    const db = () => t.app.get(DataSource);
    const queues = () => t.app.get(QueueService);
    const insertRow = (id: string, status: string, jobId: string, receivedDaysAgo: number, updatedSecondsAgo: number) =>
      db().query(
        `INSERT INTO executions (id, tenant_id, workflow_name, trigger, status, job_id, received_at, updated_at)
         VALUES ($1, $2, 'synthetic', 'webhook', $3, $4, now() - ($5 || ' days')::interval, now() - ($6 || ' seconds')::interval)`,
        [id, owner.tenantId, status, jobId, String(receivedDaysAgo), String(updatedSecondsAgo)],
      );
    const statusOf = async (id: string) => (await db().query('SELECT status, error FROM executions WHERE id = $1', [id]))[0];

    it('the reconciler fails runs stuck in running with no live job, and leaves runs whose job is live', async () => {
      const lost = randomUUID();
      await insertRow(lost, 'running', lost, 0, 120);
      // a live job: a delayed one in the queue, owned by a row in `queued`
      const liveId = randomUUID();
      await queues().add(
        'executions',
        'run',
        { tenantId: owner.tenantId, workflowId: randomUUID(), trigger: 'webhook', payload: null, receivedAt: new Date().toISOString() },
        { jobId: liveId, delay: 600_000 },
      );
      await insertRow(liveId, 'queued', liveId, 0, 120);

      await queues().add('maintenance', 'reconcile-stuck', {});
      const row = await waitFor(async () => {
        const r = await statusOf(lost);
        return r.status === 'failed' ? r : undefined;
      }, 'the reconciler to fail the lost run');
      expect(row.error).toMatchObject({ code: 'RUN_LOST', retryable: false });
      expect((await statusOf(liveId)).status).toBe('queued');
      await queues().queue('executions').remove(liveId);
    });

    it('the daily prune deletes finished runs older than the retention, keeping recent ones', async () => {
      const old = randomUUID();
      const recent = randomUUID();
      await insertRow(old, 'succeeded', old, 40, 0);
      await insertRow(recent, 'succeeded', recent, 1, 0);
      await queues().add('maintenance', 'prune-executions', {});
      await waitFor(async () => !(await statusOf(old)), 'the old run to be pruned');
      expect((await statusOf(recent)).status).toBe('succeeded');
    });

    it('registers both maintenance schedules', async () => {
      const schedulers = await queues().queue('maintenance').getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(expect.arrayContaining(['prune-executions', 'reconcile-stuck']));
    });
  });

  it('counts executions by status and times them in /metrics', async () => {
    const res = await t.http.get('/metrics', { headers: { 'x-admin-token': 'test-admin-token-0123456789' } });
    expect(res.text).toMatch(/flowgate_executions_total\{status="succeeded",trigger="manual"\} \d+/);
    expect(res.text).toContain('flowgate_execution_duration_seconds_bucket');
  });
});
