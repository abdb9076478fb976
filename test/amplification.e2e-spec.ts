import { openApiContract } from './support/openapi-contract';
import { readFileSync } from 'node:fs';
import { START_FLAGS } from '../bench/lib/node-runtime';
import { KongFake, startKongFake } from './fakes/kong-admin.fake';
import { kongProxy } from './fakes/kong-proxy.fake';
import { SOAP_FAKE_NAMESPACE, SoapFake, startSoapFake } from './fakes/soap-service.fake';
import { applyTemplate } from './kong.helpers';
import { HttpClient } from './support/http-client';
import { FlowgateProcess, spawnFlowgate } from './support/spawn-flowgate';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

const MiB = 1024 * 1024;
/** The defaults (RENDER_MAX_STEP_BYTES, RENDER_MAX_RUN_BYTES): this file runs with them. */
const STEP_LIMIT = MiB;
const RUN_LIMIT = 8 * MiB;
/** A dry-run answer is "small" under this: every shown input/output is cut at EXECUTION_MAX_STORED_BYTES (64 KiB). */
const SMALL_BODY = 512 * 1024;

const SEED = 'x'.repeat(100);

/** Each transform step references the previous step twice: the JSON doubles per step. */
function doublingWorkflow(n: number, overrides: Record<string, unknown> = {}) {
  return {
    name: `doubling ${n}`,
    trigger: { type: 'webhook' },
    steps: Array.from({ length: n }, (_, i) => ({
      name: `s${i}`,
      type: 'transform',
      params: i === 0 ? { seed: '{{trigger.seed}}' } : { left: `{{steps.s${i - 1}}}`, right: `{{steps.s${i - 1}}}` },
    })),
    settings: { retries: 2, backoff: { type: 'fixed', delayMs: 10 } },
    ...overrides,
  };
}

/** The first doubling step whose rendered params pass the step limit (sizes computed as JSON). */
function firstStepOverLimit(seed: string, limit: number): number {
  let size = Buffer.byteLength(JSON.stringify({ seed }));
  const wrapper = Buffer.byteLength(JSON.stringify({ left: 0, right: 0 })) - 2;
  for (let i = 0; ; i++) {
    if (size > limit) return i;
    size = 2 * size + wrapper;
  }
}

const OVER = firstStepOverLimit(SEED, STEP_LIMIT);

/** 20 whole-value references to the payload's blob. */
const twentyRefs = (name: string) => ({
  name,
  type: 'transform',
  params: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`copy${i}`, '{{trigger.blob}}'])),
});
const BLOB = 'b'.repeat(256 * 1024);

function expectStepLimit(error: any, step: string) {
  expect(error).toMatchObject({ code: 'RENDER_LIMIT_EXCEEDED', retryable: false });
  expect(error.message).toContain(`Step "${step}"`);
  expect(error.message).toContain('1048576 bytes (1 MiB)');
  expect(error.message).toContain('RENDER_MAX_STEP_BYTES');
}

function vm(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/**
 * Amplification: templates that copy what they reference (each step reading the previous one
 * twice, twenty references to a large payload) are stopped by the render budget while they
 * render, on every path that runs steps: the dry run, the worker, the Kong aggregate and the
 * bridge; workflows have at most WORKFLOW_MAX_STEPS steps; and a process serving the
 * amplifying dry run keeps a flat memory.
 */
describe('Amplification: render budget and step limit on every path that runs steps', () => {
  let t: TestApp;
  let kong: KongFake;
  let soap: SoapFake;
  let proxy: ReturnType<typeof kongProxy>;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    [kong, soap] = await Promise.all([startKongFake(), startSoapFake()]);
    t = await startTestApp({
      KONG_ADMIN_URL: kong.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://flowgate:3000',
    });
    proxy = kongProxy(kong, t.url);
    owner = await registerTenant(t.http, 'Amplifier');
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([kong?.close(), soap?.close()]);
  });

  const dryRun = (id: string, payload: unknown) => t.http.post(`/api/workflows/${id}/dry-run`, { payload }, { token: owner.token });

  describe('dry run', () => {
    it.each([14, 30])('the %i-step doubling workflow answers a failed step naming the step and the limit, in a small body', async (n) => {
      const wf = await createWorkflow(t.http, owner.token, doublingWorkflow(n));
      const res = await dryRun(wf.id, { seed: SEED });
      expect(res.status).toBe(200);
      expect(res.text.length).toBeLessThan(SMALL_BODY);
      expect(res.body.status).toBe('failed');
      expect(res.body.error.step).toBe(`s${OVER}`);
      expectStepLimit(res.body.error, `s${OVER}`);
      const steps = res.body.steps as any[];
      expect(steps.slice(0, OVER).map((s) => s.status)).toEqual(Array(OVER).fill('succeeded'));
      expect(steps[OVER].status).toBe('failed');
      expect(steps[OVER].input).toBeUndefined();
      expect(steps.slice(OVER + 1).every((s) => s.status === 'skipped')).toBe(true);
    });

    it('20 references to a 256 KB payload stop at the per-step limit (whole values and text)', async () => {
      const whole = await createWorkflow(t.http, owner.token, {
        name: 'twenty refs',
        trigger: { type: 'webhook' },
        steps: [twentyRefs('copies')],
      });
      const a = await dryRun(whole.id, { blob: BLOB });
      expect(a.status).toBe(200);
      expect(a.text.length).toBeLessThan(SMALL_BODY);
      expectStepLimit(a.body.error, 'copies');

      const text = await createWorkflow(t.http, owner.token, {
        name: 'twenty refs in text',
        trigger: { type: 'webhook' },
        steps: [{ name: 'joined', type: 'transform', params: { all: Array.from({ length: 20 }, () => '{{trigger.blob}}').join(',') } }],
      });
      const b = await dryRun(text.id, { blob: BLOB });
      expect(b.text.length).toBeLessThan(SMALL_BODY);
      expectStepLimit(b.body.error, 'joined');
    });

    it('steps each under the step limit stop at the run limit (RENDER_MAX_RUN_BYTES)', async () => {
      const wf = await createWorkflow(t.http, owner.token, {
        name: 'many copies',
        trigger: { type: 'webhook' },
        steps: Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, type: 'transform', params: { copy: '{{trigger.blob}}' } })),
      });
      const blob = 'c'.repeat(900 * 1024);
      const perStep = Buffer.byteLength(JSON.stringify({ copy: blob }));
      const fits = Math.floor(RUN_LIMIT / perStep);
      const res = await dryRun(wf.id, { blob });
      expect(res.text.length).toBeLessThan(SMALL_BODY);
      expect(res.body.error).toMatchObject({ step: `c${fits}`, code: 'RENDER_LIMIT_EXCEEDED', retryable: false });
      expect(res.body.error.message).toContain('8388608 bytes (8 MiB)');
      expect(res.body.error.message).toContain('RENDER_MAX_RUN_BYTES');
    });
  });

  describe('worker', () => {
    it('the doubling workflow run from its webhook ends as a failed execution with that error, not retried', async () => {
      const wf = await createWorkflow(t.http, owner.token, doublingWorkflow(14));
      const accepted = await t.http.post(`/api/webhooks/${wf.id}`, { seed: SEED });
      expect(accepted.status).toBe(202);
      const done = await waitForExecution(t.http, owner.token, accepted.body.executionId);
      expect(done.status).toBe('failed');
      expectStepLimit(done.error, `s${OVER}`);
      expect(done.error.step).toBe(`s${OVER}`);
      // Non-retryable: the workflow allows 2 retries, the budget error spends one attempt.
      expect(done.attempts).toBe(1);
      expect(done.steps.find((s: any) => s.name === `s${OVER}`).status).toBe('failed');
    });

    it('20 references to a 256 KB webhook payload fail the step', async () => {
      const wf = await createWorkflow(t.http, owner.token, {
        name: 'twenty refs (worker)',
        trigger: { type: 'webhook' },
        steps: [twentyRefs('copies')],
        settings: { retries: 0 },
      });
      const accepted = await t.http.post(`/api/webhooks/${wf.id}`, { blob: BLOB });
      expect(accepted.status).toBe(202);
      const done = await waitForExecution(t.http, owner.token, accepted.body.executionId);
      expect(done.status).toBe('failed');
      expectStepLimit(done.error, 'copies');
    });
  });

  describe('Kong', () => {
    it('aggregate: a step over the budget is a 207 error entry; every step over it is a 413, never the huge body', async () => {
      const q = 'q'.repeat(8 * 1024);
      const refs = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`r${i}`, '{{trigger.q}}']));
      const wf = await createWorkflow(t.http, owner.token, {
        name: 'aggregate amplifier',
        trigger: { type: 'webhook' },
        steps: [
          { name: 'small', type: 'transform', params: { len: 'ok' } },
          { name: 'big', type: 'transform', params: refs },
        ],
      });
      expect((await applyTemplate(t.http, owner.token, wf.id, 'smart_aggregator')).status).toBe(201);
      const partial = await proxy('GET', `/workflows/${wf.id}/aggregate?q=${q}`);
      expect(partial.status).toBe(207);
      expect(partial.text.length).toBeLessThan(64 * 1024);
      expect(partial.body.results).toEqual({ small: { len: 'ok' } });
      expectStepLimit({ ...partial.body.errors.big, retryable: false }, 'big');

      const onlyBig = await createWorkflow(t.http, owner.token, {
        name: 'aggregate amplifier 2',
        trigger: { type: 'webhook' },
        steps: [{ name: 'big', type: 'transform', params: refs }],
      });
      expect((await applyTemplate(t.http, owner.token, onlyBig.id, 'smart_aggregator')).status).toBe(201);
      const all = await proxy('GET', `/workflows/${onlyBig.id}/aggregate?q=${q}`);
      expect(all.status).toBe(413);
      expect(all.body.code).toBe('RENDER_LIMIT_EXCEEDED');
      expect(all.body.message).toContain('Step "big"');
      expect(all.text.length).toBeLessThan(64 * 1024);
    });

    it('bridge: JSON that would render the soap step past the budget is a 413 before anything is sent', async () => {
      const wf = await createWorkflow(t.http, owner.token, {
        name: 'bridge amplifier',
        trigger: { type: 'webhook' },
        steps: [
          {
            name: 'legacy',
            connector: 'soap',
            action: 'call',
            params: {
              url: soap.endpoint,
              operation: 'GetWeather',
              namespace: SOAP_FAKE_NAMESPACE,
              params: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`City${i}`, '{{trigger.blob}}'])),
            },
          },
        ],
      });
      expect((await applyTemplate(t.http, owner.token, wf.id, 'protocol_bridge')).status).toBe(201);
      const sent = soap.requests.length;
      const res = await proxy('POST', `/workflows/${wf.id}/bridge`, { body: { blob: BLOB } });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('RENDER_LIMIT_EXCEEDED');
      expectStepLimit({ ...res.body, retryable: false }, 'legacy');
      expect(soap.requests.length).toBe(sent);
    });
  });

  describe('WORKFLOW_MAX_STEPS', () => {
    let small: TestApp;

    beforeAll(async () => {
      // The same database and secrets with a lower limit: as if an operator lowered it.
      small = await startTestApp({
        WORKFLOW_MAX_STEPS: '10',
        JWT_SECRET: t.config.auth.jwtSecret,
        ENCRYPTION_KEY: t.config.crypto.current.toString('hex'),
      });
    });
    afterAll(async () => {
      await small?.close();
    });

    const stepsField = (res: { status: number; body: any }) => {
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'steps', message: expect.stringContaining('WORKFLOW_MAX_STEPS') })]),
      );
    };

    it('create, update and import answer 400 naming `steps` past the setting; at the limit is fine', async () => {
      const as = { token: owner.token };
      stepsField(await small.http.post('/api/workflows', doublingWorkflow(11), as));
      const ok = await small.http.post('/api/workflows', doublingWorkflow(10), as);
      expect(ok.status).toBe(201);
      stepsField(await small.http.put(`/api/workflows/${ok.body.id}`, { steps: doublingWorkflow(11).steps }, as));
      stepsField(
        await small.http.post('/api/workflows/import', { format: 'flowgate.workflow', formatVersion: 1, ...doublingWorkflow(11) }, as),
      );
      // The default (50) holds on the main app.
      stepsField(await t.http.post('/api/workflows', doublingWorkflow(51), as));
    });

    it('a stored workflow longer than the setting runs nothing', async () => {
      // Saved where 50 steps are allowed, dry-run where 10 are.
      const wf = await createWorkflow(t.http, owner.token, doublingWorkflow(12));
      const res = await small.http.post(`/api/workflows/${wf.id}/dry-run`, { payload: { seed: 'x' } }, { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('failed');
      expect(res.body.error).toMatchObject({ step: 's10', code: 'WORKFLOW_TOO_MANY_STEPS', retryable: false });
      expect(res.body.error.message).toContain('WORKFLOW_MAX_STEPS');
      expect(res.body.steps.filter((s: any) => s.status === 'succeeded')).toHaveLength(0);
    });
  });

  describe('memory', () => {
    let flowgate: FlowgateProcess;
    let http: HttpClient;

    beforeAll(async () => {
      // npm start's node flags, through NODE_OPTIONS (spawnFlowgate runs `node dist/src/main.js`).
      flowgate = await spawnFlowgate({
        DATABASE_URL: process.env.DATABASE_URL!,
        REDIS_URL: process.env.REDIS_URL!,
        QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-amp`,
        NODE_OPTIONS: START_FLAGS.join(' '),
      });
      http = new HttpClient(flowgate.url, { contract: openApiContract() });
    });
    afterAll(async () => {
      // A process stuck building a huge value cannot run its SIGTERM handler: then SIGKILL.
      const stopped = flowgate?.stop();
      if (stopped && !(await Promise.race([stopped.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))])))
        await flowgate.kill9();
    });

    /**
     * RSS (VmRSS) and the kernel's peak (VmHWM) of a separate Flowgate process, read before and
     * after ten dry runs of the 30-step doubling workflow (2^30 times its seed if built). Both
     * may grow by at most the run budget plus SLACK: what one request legitimately allocates
     * (the shown copies of the steps under the limit, the answer, V8 growing its young
     * generation) before the garbage collector runs. Without the budget the first request needs
     * gigabytes and the process dies.
     */
    it('the amplifying dry run, fired repeatedly, keeps RSS and its peak within the run budget plus slack', async () => {
      const SLACK = 32 * MiB;
      const tenant = await registerTenant(http, 'Memory');
      const wf = await createWorkflow(http, tenant.token, doublingWorkflow(30));
      const fire = async () => {
        const res = await http.request('POST', `/api/workflows/${wf.id}/dry-run`, { payload: { seed: SEED } }, { token: tenant.token });
        expect(res.status).toBe(200);
        expect(res.body.error?.code).toBe('RENDER_LIMIT_EXCEEDED');
      };
      // Warm-up: code compiled, pools open, heap sized for one request.
      for (let i = 0; i < 3; i++) await fire();
      const pid = flowgate.proc.pid!;
      const before = vm(pid, 'VmRSS');
      for (let i = 0; i < 10; i++) await fire();
      const after = vm(pid, 'VmRSS');
      const peak = vm(pid, 'VmHWM');
      const report = `RSS ${(before / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB`;
      expect({ report, growth: after - before <= RUN_LIMIT + SLACK }).toEqual({ report, growth: true });
      expect({ report, peakGrowth: peak - before <= RUN_LIMIT + SLACK }).toEqual({ report, peakGrowth: true });
    });
  });
});
