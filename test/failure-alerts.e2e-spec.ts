import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueueService } from '../src/core/queue/queue.module';
import { handlerJobId } from '../src/modules/executions/failure-alerts';
import { FakeServer, startFake } from './fakes/fake-server';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

/**
 * Failure alerts (error workflows) through the real API, worker, PostgreSQL and Redis: a
 * workflow naming an error workflow gets exactly one handler run per run that fails for good.
 */
describe('failure alerts: error workflows (HTTP, worker, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let sink: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let other: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    sink = await startFake({
      '* /status/:code': (req) => ({ status: Number(req.params.code), body: { error: `status ${req.params.code}` } }),
      // a provider that quotes the caller's credential back in its error
      '* /reject': (req) => ({ status: 400, body: { error: `token refused: ${req.headers.authorization ?? 'none'}` } }),
      '* /*': (req) => ({ body: { ok: true, path: req.path } }),
    });
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1' });
    owner = await registerTenant(t.http, 'Alerts');
    other = await registerTenant(t.http, 'Elsewhere');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const hits = (path: string) => sink.requests.filter((r) => r.path === path).length;
  const failingStep = (path: string, extra: Record<string, unknown> = {}) => ({
    name: 'call',
    connector: 'http',
    action: 'request',
    params: { method: 'POST', url: `${sink.url}${path}`, body: { order: '{{trigger.order}}' } },
    ...extra,
  });
  /** A handler whose one step shows what it read of the failure. */
  const handlerBody = (over: Record<string, unknown> = {}) => ({
    name: `handler ${randomUUID().slice(0, 8)}`,
    trigger: { type: 'error' },
    steps: [
      {
        name: 'alert',
        type: 'transform',
        params: {
          text: 'Workflow {{trigger.workflow.name}} failed at {{trigger.failedStep.name}}: {{trigger.error.message}}',
          workflowId: '{{trigger.workflow.id}}',
          link: '{{trigger.execution.url}}',
          connector: '{{trigger.failedStep.connector}}',
          status: '{{trigger.error.status}}',
        },
      },
    ],
    settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
    ...over,
  });
  const run = async (workflowId: string, payload: unknown = { order: 1 }) => {
    const res = await t.http.post(`/api/workflows/${workflowId}/run`, { payload }, { token: owner.token });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  /** Every run of a workflow, recorded or still in the queue (any status), oldest first. */
  const runsOf = async (workflowId: string): Promise<any[]> => {
    const res = await t.http.get('/api/logs', {
      token: owner.token,
      query: { workflowId, limit: '100', status: 'queued,running,succeeded,failed,cancelled' },
    });
    expect(res.status).toBe(200);
    expect(res.body.queueScan?.complete ?? true).toBe(true);
    return [...res.body.items].reverse();
  };
  const queuedJob = (id: string) => t.app.get(QueueService).queue('executions').getJob(id);
  const storedRow = async (id: string) =>
    (await t.app.get(DataSource).query('SELECT row_to_json(e)::text AS row FROM executions e WHERE id = $1', [id]))[0]?.row as
      string | undefined;

  describe('errorWorkflowId on create and update', () => {
    it('is answered on create, get and update; null clears it; deleting the handler clears it too', async () => {
      const handler = await createWorkflow(t.http, owner.token, handlerBody());
      expect(handler.errorWorkflowId).toBeNull();
      expect(handler.trigger).toEqual({ type: 'error' });
      const w = await createWorkflow(t.http, owner.token, {
        name: 'watched',
        trigger: { type: 'webhook' },
        steps: [failingStep('/ok')],
        errorWorkflowId: handler.id,
      });
      expect(w.errorWorkflowId).toBe(handler.id);
      expect((await t.http.get(`/api/workflows/${w.id}`, { token: owner.token })).body.errorWorkflowId).toBe(handler.id);

      const cleared = await t.http.put(`/api/workflows/${w.id}`, { errorWorkflowId: null }, { token: owner.token });
      expect(cleared.status).toBe(200);
      expect(cleared.body.errorWorkflowId).toBeNull();
      const untouched = await t.http.put(`/api/workflows/${w.id}`, { errorWorkflowId: handler.id }, { token: owner.token });
      expect(untouched.body.errorWorkflowId).toBe(handler.id);
      // an edit that does not mention it keeps it
      const renamed = await t.http.put(`/api/workflows/${w.id}`, { name: 'watched, renamed' }, { token: owner.token });
      expect(renamed.body.errorWorkflowId).toBe(handler.id);

      expect((await t.http.delete(`/api/workflows/${handler.id}`, { token: owner.token })).status).toBe(204);
      expect((await t.http.get(`/api/workflows/${w.id}`, { token: owner.token })).body.errorWorkflowId).toBeNull();
    });

    it("refuses (400 naming errorWorkflowId) an unknown id, another tenant's workflow alike, the workflow itself and a non-UUID", async () => {
      const theirs = await createWorkflow(t.http, other.token, handlerBody());
      const base = { name: 'bad handler', trigger: { type: 'webhook' }, steps: [failingStep('/ok')] };

      const unknown = await t.http.post('/api/workflows', { ...base, errorWorkflowId: randomUUID() }, { token: owner.token });
      const foreign = await t.http.post('/api/workflows', { ...base, errorWorkflowId: theirs.id }, { token: owner.token });
      for (const res of [unknown, foreign]) {
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details).toEqual([{ field: 'errorWorkflowId', message: 'errorWorkflowId must name a workflow of this tenant' }]);
      }
      // another tenant's id reads exactly like an id that names nothing
      expect(foreign.body.message).toBe(unknown.body.message);

      const notUuid = await t.http.post('/api/workflows', { ...base, errorWorkflowId: 'not-a-uuid' }, { token: owner.token });
      expect(notUuid.status).toBe(400);
      expect(notUuid.body.details.map((d: { field: string }) => d.field)).toContain('errorWorkflowId');

      const w = await createWorkflow(t.http, owner.token, base);
      const self = await t.http.put(`/api/workflows/${w.id}`, { errorWorkflowId: w.id }, { token: owner.token });
      expect(self.status).toBe(400);
      expect(self.body.details).toEqual([{ field: 'errorWorkflowId', message: 'a workflow cannot be its own error workflow' }]);
      const foreignUpdate = await t.http.put(`/api/workflows/${w.id}`, { errorWorkflowId: theirs.id }, { token: owner.token });
      expect(foreignUpdate.status).toBe(400);
      expect(foreignUpdate.body.details[0].field).toBe('errorWorkflowId');
      // nothing was saved by the refused edits
      const now = (await t.http.get(`/api/workflows/${w.id}`, { token: owner.token })).body;
      expect(now).toMatchObject({ errorWorkflowId: null, version: 1 });
    });

    it('an `error` trigger takes no other field', async () => {
      const res = await t.http.post('/api/workflows', handlerBody({ trigger: { type: 'error', path: '/x' } }), { token: owner.token });
      expect(res.status).toBe(400);
    });
  });

  describe('a run that fails for good', () => {
    it('runs the error workflow once, with trigger `error` and the failure as its payload (inactive handler included)', async () => {
      const handler = await createWorkflow(t.http, owner.token, handlerBody({ active: false }));
      const w = await createWorkflow(t.http, owner.token, {
        name: 'Orders to nowhere',
        trigger: { type: 'webhook' },
        steps: [failingStep('/status/404')],
        settings: { retries: 3, backoff: { type: 'fixed', delayMs: 10 } },
        errorWorkflowId: handler.id,
      });
      const failedId = await run(w.id);
      const failed = await waitForExecution(t.http, owner.token, failedId);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { step: 'call', retryable: false, status: 404 } });

      const handlerRunId = handlerJobId(failedId);
      const h = await waitForExecution(t.http, owner.token, handlerRunId);
      expect(h).toMatchObject({ status: 'succeeded', trigger: 'error', workflowId: handler.id, workflowName: handler.name });
      expect(h.input).toEqual({
        workflow: { id: w.id, name: 'Orders to nowhere', version: 1 },
        execution: {
          id: failedId,
          url: `/api/executions/${failedId}`,
          trigger: 'manual',
          attempts: 1,
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
        },
        failedStep: { name: 'call', connector: 'http', action: 'request' },
        error: { message: failed.error.message, code: failed.error.code ?? null, status: 404, retryable: false },
      });
      // the handler's steps read the failure as {{trigger...}}
      expect(h.steps[0].output).toEqual({
        text: `Workflow Orders to nowhere failed at call: ${failed.error.message}`,
        workflowId: w.id,
        link: `/api/executions/${failedId}`,
        connector: 'http',
        status: 404,
      });
      // exactly one handler run: the one the failed run's id names
      const handlerRuns = await runsOf(handler.id);
      expect(handlerRuns.map((e) => e.id)).toEqual([handlerRunId]);
      const filtered = await t.http.get('/api/logs', { token: owner.token, query: { trigger: 'error', workflowId: handler.id } });
      expect(filtered.body.items).toHaveLength(1);
      // the handler's workflow stayed inactive: it ran because it is an error workflow, not because it was switched on
      expect((await t.http.get(`/api/workflows/${handler.id}`, { token: owner.token })).body.active).toBe(false);
    });

    it('with retries, the handler runs once, after the last attempt', async () => {
      const handler = await createWorkflow(t.http, owner.token, handlerBody({ trigger: { type: 'webhook' } }));
      const path = `/status/503?k=${randomUUID()}`;
      const w = await createWorkflow(t.http, owner.token, {
        name: 'flaky provider',
        trigger: { type: 'webhook' },
        steps: [failingStep(path)],
        settings: { retries: 2, backoff: { type: 'fixed', delayMs: 20 } },
        errorWorkflowId: handler.id,
      });
      const before = hits('/status/503');
      const failedId = await run(w.id);
      const failed = await waitForExecution(t.http, owner.token, failedId);
      expect(failed).toMatchObject({ status: 'failed', attempts: 3, error: { retryable: true, status: 503 } });
      expect(hits('/status/503') - before).toBe(3);

      const h = await waitForExecution(t.http, owner.token, handlerJobId(failedId));
      expect(h).toMatchObject({ status: 'succeeded', trigger: 'error' });
      // the payload is the last attempt's: all three attempts were spent before it was queued
      expect(h.input.execution).toMatchObject({ id: failedId, attempts: 3 });
      expect(h.input.error).toMatchObject({ status: 503, retryable: true });
      expect((await runsOf(handler.id)).map((e) => e.id)).toEqual([handlerJobId(failedId)]);
    });

    it('a run that succeeds queues no handler', async () => {
      const handler = await createWorkflow(t.http, owner.token, handlerBody());
      const w = await createWorkflow(t.http, owner.token, {
        name: 'fine',
        trigger: { type: 'webhook' },
        steps: [failingStep('/ok')],
        errorWorkflowId: handler.id,
      });
      const id = await run(w.id);
      expect((await waitForExecution(t.http, owner.token, id)).status).toBe('succeeded');
      // a handler job would be queued before the run's final write: none exists
      expect(await queuedJob(handlerJobId(id))).toBeUndefined();
      expect(await runsOf(handler.id)).toEqual([]);
    });

    it('never loops: a failing handler (naming a handler, here the failed workflow itself) starts nothing more', async () => {
      // W → H → W: without the loop rule, each failure would start the other forever
      const h = await createWorkflow(t.http, owner.token, handlerBody({ steps: [failingStep('/status/400', { name: 'page' })] }));
      const w = await createWorkflow(t.http, owner.token, {
        name: 'loop candidate',
        trigger: { type: 'webhook' },
        steps: [failingStep('/status/404')],
        settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
        errorWorkflowId: h.id,
      });
      const back = await t.http.put(`/api/workflows/${h.id}`, { errorWorkflowId: w.id }, { token: owner.token });
      expect(back.status).toBe(200);
      // and a second handler that H names alone would also be a candidate
      const h2 = await createWorkflow(t.http, owner.token, handlerBody());

      const failedId = await run(w.id);
      expect((await waitForExecution(t.http, owner.token, failedId)).status).toBe('failed');
      const hRunId = handlerJobId(failedId);
      const hRun = await waitForExecution(t.http, owner.token, hRunId);
      expect(hRun).toMatchObject({ status: 'failed', trigger: 'error', error: { step: 'page', status: 400 } });

      // the handler's failure is recorded; a handler job of it would have been queued before that write
      expect(await queuedJob(handlerJobId(hRunId))).toBeUndefined();
      expect((await runsOf(w.id)).map((e) => e.id)).toEqual([failedId]);
      expect((await runsOf(h.id)).map((e) => e.id)).toEqual([hRunId]);

      // the same with H naming another handler
      expect((await t.http.put(`/api/workflows/${h.id}`, { errorWorkflowId: h2.id }, { token: owner.token })).status).toBe(200);
      const secondId = await run(w.id);
      expect((await waitForExecution(t.http, owner.token, secondId)).status).toBe('failed');
      const hSecond = await waitForExecution(t.http, owner.token, handlerJobId(secondId));
      expect(hSecond).toMatchObject({ status: 'failed', trigger: 'error' });
      expect(await queuedJob(handlerJobId(hSecond.id))).toBeUndefined();
      expect(await runsOf(h2.id)).toEqual([]);
      expect(await runsOf(h.id)).toHaveLength(2);
    });

    it("a person's retry of a failed run is a run of its own: it fails for good and alerts again, once", async () => {
      const handler = await createWorkflow(t.http, owner.token, handlerBody());
      const w = await createWorkflow(t.http, owner.token, {
        name: 'retried by hand',
        trigger: { type: 'webhook' },
        steps: [failingStep('/status/404')],
        settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
        errorWorkflowId: handler.id,
      });
      const firstId = await run(w.id);
      expect((await waitForExecution(t.http, owner.token, firstId)).status).toBe('failed');
      const retry = await t.http.post(`/api/executions/${firstId}/retry`, undefined, { token: owner.token });
      expect(retry.status).toBe(202);
      expect((await waitForExecution(t.http, owner.token, retry.body.executionId)).status).toBe('failed');
      const h = await waitForExecution(t.http, owner.token, handlerJobId(retry.body.executionId));
      expect(h.input.execution).toMatchObject({ id: retry.body.executionId, trigger: 'retry' });
      await waitForExecution(t.http, owner.token, handlerJobId(firstId));
      expect(await runsOf(handler.id)).toHaveLength(2);
    });
  });

  describe('secrets', () => {
    it("a credential value used by the failed step never reaches the handler's execution (stored row and API)", async () => {
      const credentialSecret = `cred-secret-${randomUUID()}`;
      const cred = await t.http.post(
        '/api/credentials',
        {
          name: `sink ${randomUUID().slice(0, 8)}`,
          connectorKey: 'http',
          authKind: 'bearer',
          secrets: { token: credentialSecret },
          allowedHosts: ['127.0.0.1'],
        },
        { token: owner.token },
      );
      expect(cred.status).toBe(201);
      const handler = await createWorkflow(t.http, owner.token, handlerBody());
      const w = await createWorkflow(t.http, owner.token, {
        name: 'leaky provider',
        trigger: { type: 'webhook' },
        steps: [failingStep('/reject', { credentialId: cred.body.id })],
        settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
        errorWorkflowId: handler.id,
      });
      const failedId = await run(w.id, { order: 5 });
      const failed = await waitForExecution(t.http, owner.token, failedId);
      expect(failed).toMatchObject({ status: 'failed', error: { status: 400 } });
      // the provider did see (and quote back) the secret
      const seen = sink.requests.filter((r) => r.path === '/reject').pop();
      expect(seen?.headers.authorization).toBe(`Bearer ${credentialSecret}`);

      const handlerRunId = handlerJobId(failedId);
      const h = await waitForExecution(t.http, owner.token, handlerRunId);
      expect(h).toMatchObject({ status: 'succeeded', trigger: 'error' });
      const apiText = JSON.stringify(h);
      const rowText = await storedRow(handlerRunId);
      expect(rowText).toBeDefined();
      for (const text of [apiText, rowText!]) {
        expect(text).not.toContain(credentialSecret);
        expect(text).not.toContain(cred.body.id);
      }
      // no step input or output of the failed run travels: its payload ({ order: 5 }) is not there
      expect(h.input).not.toHaveProperty('steps');
      expect(JSON.stringify(h.input)).not.toContain('"order"');
    });
  });

  describe('tenancy', () => {
    it("another tenant cannot read a handler's run", async () => {
      const handler = await createWorkflow(t.http, owner.token, handlerBody());
      const w = await createWorkflow(t.http, owner.token, {
        name: 'mine',
        trigger: { type: 'webhook' },
        steps: [failingStep('/status/404')],
        settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
        errorWorkflowId: handler.id,
      });
      const failedId = await run(w.id);
      await waitForExecution(t.http, owner.token, failedId);
      const h = await waitForExecution(t.http, owner.token, handlerJobId(failedId));
      expect(h.status).toBe('succeeded');
      expect((await t.http.get(`/api/executions/${h.id}`, { token: other.token })).status).toBe(404);
      await waitFor(async () => (await runsOf(handler.id)).length === 1, 'one handler run');
    });
  });
});
