import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { startRedisServer, PrivateRedis } from './support/redis-server';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';
import { signatureHeader } from '../src/modules/webhooks/webhook-signature';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { testRedisUrl } from './support/run-env';
import { INGEST_LIMIT_SYNC_MS } from '../src/modules/webhooks/ingest-rate-limiter';

describe('webhook trigger (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let sink: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    sink = await startEchoFake();
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1', BODY_LIMIT_BYTES: '4096' });
    owner = await registerTenant(t.http, 'Hooks');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const hook = (id: string, body?: unknown, headers: Record<string, string> = {}) => t.http.post(`/api/webhooks/${id}`, body, { headers });

  it('answers 202 with the execution id, then runs transform + http steps to success', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'Order → sink',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'shape',
          type: 'transform',
          params: { text: 'Hello {{trigger.user.name}}! Order #{{trigger.order.id}} confirmed.', order: '{{trigger.order}}' },
        },
        {
          name: 'post',
          connector: 'http',
          action: 'request',
          params: {
            method: 'POST',
            url: `${sink.url}/orders`,
            headers: { Authorization: 'Bearer sink-token-0123456789' },
            body: '{{steps.shape}}',
          },
        },
      ],
    });
    const res = await hook(w.id, { user: { name: 'Alex' }, order: { id: '12345' } });
    expect(res.status).toBe(202);
    expect(res.body.executionId).toMatch(/^[0-9a-f-]{36}$/);
    const e = await waitForExecution(t.http, owner.token, res.body.executionId);
    expect(e).toMatchObject({
      status: 'succeeded',
      trigger: 'webhook',
      workflowId: w.id,
      workflowVersion: 1,
      attempts: 1,
      input: { user: { name: 'Alex' }, order: { id: '12345' } },
    });
    expect(e.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(e.steps[0].output.text).toBe('Hello Alex! Order #12345 confirmed.');
    const received = sink.requests.find((r) => r.path === '/orders');
    expect(received?.body).toEqual({ text: 'Hello Alex! Order #12345 confirmed.', order: { id: '12345' } });
    // the sink echoes the Authorization header back; the log never keeps it
    expect(JSON.stringify(e)).not.toContain('sink-token-0123456789');
  });

  it('accepts form-encoded and plain-text bodies and passes them on', async () => {
    const w = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ steps: [{ name: 'echo', type: 'transform', params: { got: '{{trigger}}' } }] }),
    );
    const form = await t.http.post(`/api/webhooks/${w.id}`, undefined, {
      raw: 'user=Alex&order=12345',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const text = await t.http.post(`/api/webhooks/${w.id}`, undefined, { raw: 'plain words', headers: { 'content-type': 'text/plain' } });
    const empty = await t.http.post(`/api/webhooks/${w.id}`);
    expect([form.status, text.status, empty.status]).toEqual([202, 202, 202]);
    const ef = await waitForExecution(t.http, owner.token, form.body.executionId);
    const et = await waitForExecution(t.http, owner.token, text.body.executionId);
    const ee = await waitForExecution(t.http, owner.token, empty.body.executionId);
    expect(ef.steps[0].output.got).toEqual({ user: 'Alex', order: '12345' });
    expect(et.steps[0].output.got).toBe('plain words');
    expect(ee.status).toBe('succeeded');
    const xml = await t.http.post(`/api/webhooks/${w.id}`, undefined, { raw: '<a/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.status).toBe(415);
  });

  it('GoFlow templates: {{user.name}} reads the trigger payload in the worker and the dry run, like {{trigger.user.name}}', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'GoFlow greeting',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'greet',
          type: 'transform',
          params: {
            text: 'Hello {{user.name}}',
            explicit: 'Hello {{trigger.user.name}}',
            user: '{{user}}',
            missing: '{{nobody.name | default: "n/a"}}',
          },
        },
        { name: 'check', type: 'condition', params: { left: '{{steps.greet.text}}', operator: 'eq', right: 'Hello Alex' } },
        { name: 'after', type: 'transform', params: { seen: '{{steps.greet.text}} via {{execution.workflowId}}' } },
      ],
    });
    const expected = { text: 'Hello Alex', explicit: 'Hello Alex', user: { name: 'Alex' }, missing: 'n/a' };
    const accepted = await hook(w.id, { user: { name: 'Alex' } });
    expect(accepted.status).toBe(202);
    const run = await waitForExecution(t.http, owner.token, accepted.body.executionId);
    expect(run.status).toBe('succeeded');
    expect(run.steps[0].output).toEqual(expected);
    expect(run.steps[1].output).toMatchObject({ result: true });
    expect(run.steps[2].output).toEqual({ seen: `Hello Alex via ${w.id}` });

    const dry = await t.http.post(`/api/workflows/${w.id}/dry-run`, { payload: { user: { name: 'Alex' } } }, { token: owner.token });
    expect(dry.status).toBe(200);
    expect(dry.body.steps[0].output).toEqual(expected);
  });

  it('answers the same 404 for unknown, inactive and scheduled workflows, and a 400 naming workflowId for a malformed id', async () => {
    const inactive = await createWorkflow(t.http, owner.token, coreWorkflow({ active: false }));
    const scheduled = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ trigger: { type: 'schedule', intervalSeconds: 3600 }, active: false }),
    );
    const answers = await Promise.all([hook('00000000-0000-4000-8000-000000000000', {}), hook(inactive.id, {}), hook(scheduled.id, {})]);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const malformed = await hook('not-a-uuid', {});
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'workflowId', message: 'workflowId must be a UUID' }],
    });
  });

  describe('signatures', () => {
    let id: string;
    let secret: string;
    beforeAll(async () => {
      const res = await t.http.post('/api/workflows', coreWorkflow({ generateWebhookSecret: true }), { token: owner.token });
      id = res.body.id;
      secret = res.body.webhookSecret;
    });

    it('accepts a correct signature over the raw body', async () => {
      const raw = '{"order": {"id": 1},   "spacing": "kept as sent"}';
      const res = await t.http.post(`/api/webhooks/${id}`, undefined, {
        raw,
        headers: { 'content-type': 'application/json', 'x-flowgate-signature': signatureHeader(secret, raw) },
      });
      expect(res.status).toBe(202);
      const form = 'a=1&b=two';
      const resForm = await t.http.post(`/api/webhooks/${id}`, undefined, {
        raw: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-flowgate-signature': signatureHeader(secret, form) },
      });
      expect(resForm.status).toBe(202);
      const text = 'plain text body';
      const resText = await t.http.post(`/api/webhooks/${id}`, undefined, {
        raw: text,
        headers: { 'content-type': 'text/plain', 'x-flowgate-signature': signatureHeader(secret, text) },
      });
      expect(resText.status).toBe(202);
    });

    it('rejects missing, wrong, malformed and stale signatures with 401', async () => {
      const raw = '{"order":{"id":1}}';
      const json = { 'content-type': 'application/json' };
      // Stale and future stamps a minute past the 5-minute window: one second past it could cross
      // a second boundary before the server reads its clock and land back inside (seen in CI).
      const now = Math.floor(Date.now() / 1000);
      const cases = await Promise.all([
        t.http.post(`/api/webhooks/${id}`, undefined, { raw, headers: json }),
        t.http.post(`/api/webhooks/${id}`, undefined, {
          raw,
          headers: { ...json, 'x-flowgate-signature': signatureHeader('whsec_wrong', raw) },
        }),
        t.http.post(`/api/webhooks/${id}`, undefined, {
          raw: '{"order":{"id":2}}',
          headers: { ...json, 'x-flowgate-signature': signatureHeader(secret, raw) },
        }),
        t.http.post(`/api/webhooks/${id}`, undefined, { raw, headers: { ...json, 'x-flowgate-signature': 'sha256=abc' } }),
        t.http.post(`/api/webhooks/${id}`, undefined, {
          raw,
          headers: { ...json, 'x-flowgate-signature': signatureHeader(secret, raw, now - 360) },
        }),
        t.http.post(`/api/webhooks/${id}`, undefined, {
          raw,
          headers: { ...json, 'x-flowgate-signature': signatureHeader(secret, raw, now + 360) },
        }),
      ]);
      expect(cases.map((c) => c.status)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(cases[4].body.message).toContain('5-minute window');
      expect(cases.every((c) => c.body.code === 'BAD_SIGNATURE')).toBe(true);
      // 4 minutes old is still inside the window
      const ok = await t.http.post(`/api/webhooks/${id}`, undefined, {
        raw,
        headers: { ...json, 'x-flowgate-signature': signatureHeader(secret, raw, now - 240) },
      });
      expect(ok.status).toBe(202);
      expect(t.logs.join('\n')).not.toContain(secret);
    });
  });

  it('runs an Idempotency-Key repeat once and returns the first execution id', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const key = `delivery-${Date.now()}`;
    const first = await hook(w.id, { order: { id: 1 } }, { 'idempotency-key': key });
    const again = await Promise.all([1, 2, 3].map(() => hook(w.id, { order: { id: 1 } }, { 'idempotency-key': key })));
    const otherKey = await hook(w.id, { order: { id: 1 } }, { 'idempotency-key': `${key}-b` });
    expect(first.status).toBe(202);
    expect(again.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(again.map((a) => a.body.executionId)).toEqual([first.body.executionId, first.body.executionId, first.body.executionId]);
    expect(again[0].headers.get('idempotent-replayed')).toBe('true');
    expect(otherKey.body.executionId).not.toBe(first.body.executionId);
    await waitForExecution(t.http, owner.token, first.body.executionId);
    await waitForExecution(t.http, owner.token, otherKey.body.executionId);
    const logs = await t.http.get('/api/logs', { token: owner.token, query: { workflowId: w.id } });
    expect(logs.body.items.map((e: { id: string }) => e.id).sort()).toEqual([first.body.executionId, otherKey.body.executionId].sort());
    const badKey = await hook(w.id, {}, { 'idempotency-key': 'x'.repeat(300) });
    expect(badKey.status).toBe(400);
  });

  it('answers 413 for a body over the limit and runs nothing', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const res = await hook(w.id, { blob: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    const logs = await t.http.get('/api/logs', { token: owner.token, query: { workflowId: w.id } });
    expect(logs.body.items).toEqual([]);
  });
});

describe('webhook tenant rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RATE_LIMIT: '3', WEBHOOK_RATE_LIMIT_WINDOW_SECONDS: '3600' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After beyond the per-tenant limit, other tenants unaffected', async () => {
    const a = await registerTenant(t.http, 'Busy');
    const b = await registerTenant(t.http, 'Calm');
    const wa1 = await createWorkflow(t.http, a.token, coreWorkflow());
    const wa2 = await createWorkflow(t.http, a.token, coreWorkflow());
    const wb = await createWorkflow(t.http, b.token, coreWorkflow());
    const statuses: number[] = [];
    for (const id of [wa1.id, wa2.id, wa1.id, wa2.id]) statuses.push((await t.http.post(`/api/webhooks/${id}`, {})).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await t.http.post(`/api/webhooks/${wa1.id}`, {});
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect((await t.http.post(`/api/webhooks/${wb.id}`, {})).status).toBe(202);
  });
});

describe('two replicas of one deployment', () => {
  // Replicas count locally and add their counts to the shared Redis counter every 50 ms
  // (IngestRateLimiter); a replica's first event in a window reads the shared count.
  const DAY = 86_400; // the widest window: the test must not straddle a window boundary
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  beforeAll(async () => {
    // Two replicas of one deployment share their secrets (and Passport's strategy is per process).
    const shared = {
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      WEBHOOK_RATE_LIMIT: '10',
      WEBHOOK_RATE_LIMIT_WINDOW_SECONDS: String(DAY),
      // Long enough that only the cross-replica invalidation can make a replica see an edit.
      WORKFLOW_CACHE_TTL_MS: '600000',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'fgt-local'}-rl-${randomBytes(3).toString('hex')}`,
    };
    a = await startTestApp(shared);
    b = await startTestApp(shared);
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    redis.disconnect();
  });

  it("counts one tenant's events on both replicas against one limit", async () => {
    const owner = await registerTenant(a.http, 'Spread');
    const wf = await createWorkflow(a.http, owner.token, coreWorkflow());
    const statusesA: number[] = [];
    for (let i = 0; i < 6; i++) statusesA.push((await a.http.post(`/api/webhooks/${wf.id}`, { i })).status);
    expect(statusesA).toEqual([202, 202, 202, 202, 202, 202]);

    // Wait until replica A has added its six to the shared counter.
    const key = `${a.config.queue.prefix}:ingest-rl:${owner.tenantId}:${Math.floor(Date.now() / (DAY * 1000))}`;
    await waitFor(async () => Number(await redis.get(key)) === 6, 'replica A to share its count');

    // Replica B starts from the shared count: four more fit, the fifth is over the limit.
    const statusesB: number[] = [];
    for (let i = 0; i < 5; i++) statusesB.push((await b.http.post(`/api/webhooks/${wf.id}`, { i })).status);
    expect(statusesB).toEqual([202, 202, 202, 202, 429]);

    // Replica A trusts its local view (6) for at most INGEST_LIMIT_SYNC_MS; after that its next
    // event is judged against the shared count, which now holds B's four.
    await waitFor(async () => Number(await redis.get(key)) >= 10, 'replica B to share its count');
    await new Promise((r) => setTimeout(r, INGEST_LIMIT_SYNC_MS * 2));
    expect((await a.http.post(`/api/webhooks/${wf.id}`, {})).status).toBe(429);
    // Exactly ten runs were accepted in all, and all ten ran.
    const stats = await waitFor(async () => {
      const res = await a.http.get(`/api/workflows/${wf.id}/stats`, { token: owner.token });
      return res.body.byStatus?.succeeded >= 10 && res.body;
    }, 'ten succeeded executions');
    expect(stats.total).toBe(10);
  });

  it('sees an edit made on the other replica at once, not after the cache lifetime', async () => {
    const owner = await registerTenant(a.http, 'Edits');
    const wf = await createWorkflow(a.http, owner.token, coreWorkflow());
    // Replica B caches the workflow as active (for ten minutes, by its settings).
    expect((await b.http.post(`/api/webhooks/${wf.id}`, {})).status).toBe(202);
    // Deactivated through replica A: B hears of it over Redis pub/sub and answers 404.
    expect((await a.http.put(`/api/workflows/${wf.id}/toggle`, { active: false }, { token: owner.token })).status).toBe(200);
    await waitFor(async () => (await b.http.post(`/api/webhooks/${wf.id}`, {})).status === 404, 'replica B to drop its copy', 5_000);
    // And back on.
    expect((await a.http.put(`/api/workflows/${wf.id}/toggle`, { active: true }, { token: owner.token })).status).toBe(200);
    await waitFor(async () => (await b.http.post(`/api/webhooks/${wf.id}`, {})).status === 202, 'replica B to accept again', 5_000);
  });
});

describe('webhook with Redis unreachable', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('answers 503 (never 202) while Redis is away, writes nothing, and accepts again when it is back', async () => {
    const owner = await registerTenant(t.http, 'Outage');
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const before = await t.http.post(`/api/webhooks/${w.id}`, { order: { id: 0 } });
    expect(before.status).toBe(202);
    await waitForExecution(t.http, owner.token, before.body.executionId);
    await redis.stop();
    const during = await Promise.all([1, 2, 3].map((i) => t.http.post(`/api/webhooks/${w.id}`, { order: { id: i } })));
    expect(during.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(during[0].body.code).toBe('QUEUE_UNAVAILABLE');
    expect(Number(during[0].headers.get('retry-after'))).toBeGreaterThan(0);
    // nothing half-written: the log holds only the event accepted before the outage
    const logs = await t.http.get('/api/logs', { token: owner.token, query: { workflowId: w.id } });
    expect(logs.status).toBe(200);
    expect(logs.body.items.map((e: { id: string }) => e.id)).toEqual([before.body.executionId]);

    await redis.start();
    const after = await waitFor(
      async () => {
        const r = await t.http.post(`/api/webhooks/${w.id}`, { order: { id: 9 } });
        return r.status === 202 ? r : undefined;
      },
      'webhooks accepted again',
      30_000,
      200,
    );
    const e = await waitForExecution(t.http, owner.token, after.body.executionId);
    expect(e.input).toEqual({ order: { id: 9 } });
    const final = await t.http.get('/api/logs', { token: owner.token, query: { workflowId: w.id } });
    expect(final.body.items.map((x: { input?: unknown; id: string }) => x.id).sort()).toEqual(
      [before.body.executionId, after.body.executionId].sort(),
    );
  });
});
