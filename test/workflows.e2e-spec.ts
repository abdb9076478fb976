import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

const weatherStep = (extra: Record<string, unknown> = {}) => ({
  name: 'weather',
  connector: 'openweather',
  action: 'current_weather',
  params: { city: '{{trigger.city | default: "London"}}' },
  ...extra,
});

describe('workflows API (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let other: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await registerTenant(t.http, 'Acme');
    other = await registerTenant(t.http, 'Other');
  });
  afterAll(() => t.close());

  const fields = (res: { body: { details?: Array<{ field: string }> } }) => (res.body.details ?? []).map((d) => d.field);

  it('creates, reads, lists, edits (bumping the version), toggles and deletes a workflow', async () => {
    const created = await t.http.post('/api/workflows', coreWorkflow({ name: 'Order flow', description: 'greets' }), {
      token: owner.token,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Order flow',
      description: 'greets',
      active: true,
      version: 1,
      trigger: { type: 'webhook' },
      hasWebhookSecret: false,
      webhookPath: `/api/webhooks/${created.body.id}`,
      settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 }, stepTimeoutMs: expect.any(Number) },
    });
    expect(created.body.steps.map((s: { name: string; type: string }) => [s.name, s.type])).toEqual([
      ['shape', 'transform'],
      ['check', 'condition'],
    ]);
    expect(created.body.webhookSecret).toBeUndefined();
    const id = created.body.id;

    const got = await t.http.get(`/api/workflows/${id}`, { token: owner.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...created.body });

    const list = await t.http.get('/api/workflows', { token: owner.token, query: { limit: 100 } });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, limit: 100 });
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(id);

    const edited = await t.http.put(`/api/workflows/${id}`, { name: 'Renamed', settings: { retries: 3 } }, { token: owner.token });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Renamed', version: 2, settings: { retries: 3, backoff: { type: 'fixed', delayMs: 10 } } });
    const edited2 = await t.http.put(`/api/workflows/${id}`, { steps: coreWorkflow().steps }, { token: owner.token });
    expect(edited2.body.version).toBe(3);

    const off = await t.http.put(`/api/workflows/${id}/toggle`, { active: false }, { token: owner.token });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const on = await t.http.put(`/api/workflows/${id}/toggle`, { active: true }, { token: owner.token });
    expect(on.body.active).toBe(true);

    expect((await t.http.delete(`/api/workflows/${id}`, { token: owner.token })).status).toBe(204);
    expect((await t.http.get(`/api/workflows/${id}`, { token: owner.token })).status).toBe(404);
  });

  it('paginates the list and filters by active', async () => {
    const tenant = await registerTenant(t.http, 'Pager');
    for (let i = 0; i < 5; i++) await createWorkflow(t.http, tenant.token, coreWorkflow({ name: `wf ${i}`, active: i % 2 === 0 }));
    const p1 = await t.http.get('/api/workflows', { token: tenant.token, query: { page: 1, limit: 2 } });
    const p3 = await t.http.get('/api/workflows', { token: tenant.token, query: { page: 3, limit: 2 } });
    expect(p1.body.total).toBe(5);
    expect(p1.body.items.map((w: { name: string }) => w.name)).toEqual(['wf 4', 'wf 3']);
    expect(p3.body.items.map((w: { name: string }) => w.name)).toEqual(['wf 0']);
    const inactive = await t.http.get('/api/workflows', { token: tenant.token, query: { active: 'false' } });
    expect(inactive.body.items.map((w: { name: string }) => w.name).sort()).toEqual(['wf 1', 'wf 3']);
    const active = await t.http.get('/api/workflows', { token: tenant.token, query: { active: 'true' } });
    expect(active.body.items.map((w: { name: string }) => w.name).sort()).toEqual(['wf 0', 'wf 2', 'wf 4']);
    expect((await t.http.get('/api/workflows', { token: tenant.token, query: { limit: 1000 } })).status).toBe(400);
  });

  it('takes only true or false for the active filter, a 400 naming active otherwise', async () => {
    for (const value of ['1', '0', 'yes', 'TRUE', 'False', '', 'null']) {
      const res = await t.http.get(`/api/workflows?active=${encodeURIComponent(value)}`, { token: owner.token });
      expect({ value, status: res.status, code: res.body.code, fields: fields(res) }).toEqual({
        value,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['active'],
      });
    }
    const twice = await t.http.get('/api/workflows?active=true&active=false', { token: owner.token });
    expect({ status: twice.status, fields: fields(twice) }).toEqual({ status: 400, fields: ['active'] });
  });

  it('toggle needs active: no body, an empty object, or a non-boolean is a 400 naming active, and nothing changes', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const put = (body: unknown, headers: Record<string, string> = {}) =>
      t.http.put(`/api/workflows/${w.id}/toggle`, body, { token: owner.token, headers });
    for (const res of [
      await put(undefined),
      await put({}),
      await put({ active: 'false' }),
      await put({ active: null }),
      await put(undefined, { 'content-type': 'text/plain' }),
    ]) {
      expect({ status: res.status, code: res.body.code, fields: fields(res) }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['active'],
      });
      expect(res.body.message).toContain('active');
    }
    expect((await t.http.get(`/api/workflows/${w.id}`, { token: owner.token })).body.active).toBe(true);
    // Setting the state it already has is no error: the answer says the state.
    for (const active of [true, false, false]) expect((await put({ active })).body.active).toBe(active);
  });

  it('refuses a stale expectedVersion with 409', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    await t.http.put(`/api/workflows/${w.id}`, { name: 'first edit' }, { token: owner.token });
    const stale = await t.http.put(`/api/workflows/${w.id}`, { name: 'second edit', expectedVersion: 1 }, { token: owner.token });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const fresh = await t.http.put(`/api/workflows/${w.id}`, { name: 'second edit', expectedVersion: 2 }, { token: owner.token });
    expect(fresh.body.version).toBe(3);
  });

  describe('validation: each problem a 400 naming the step and field', () => {
    const post = (body: Record<string, unknown>) => t.http.post('/api/workflows', body, { token: owner.token });

    it('unknown connector and unknown action', async () => {
      const res = await post(
        coreWorkflow({
          steps: [
            { name: 'a', connector: 'nope', action: 'x', params: {} },
            { name: 'b', connector: 'openweather', action: 'forecast', params: {} },
          ],
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fields(res)).toEqual(['steps[0].connector', 'steps[1].action']);
      expect(res.body.message).toContain('unknown connector "nope"');
    });

    it('params that do not fit the action schema', async () => {
      const res = await post(
        coreWorkflow({
          steps: [
            { name: 'first', type: 'transform', params: { a: 1 } },
            { name: 'weather', connector: 'openweather', action: 'current_weather', params: { units: 'kelvin', extra: true } },
          ],
        }),
      );
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(expect.arrayContaining(['steps[1].params.city', 'steps[1].params.units', 'steps[1].params.extra']));
    });

    it('accepts a template where the schema wants another type, checking it when the step runs', async () => {
      const res = await post(coreWorkflow({ steps: [weatherStep({ params: { city: '{{trigger.city}}', units: '{{trigger.units}}' } })] }));
      // The templated params raise nothing; the only problem is the missing credential,
      // which a connector that needs one reports at save time.
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'steps[0].credentialId', message: 'connector "openweather" needs a credential (api_key)' },
      ]);
    });

    it('a credential of another tenant, or of another connector', async () => {
      const slackCred = await t.http.post(
        '/api/credentials',
        {
          name: `S ${Date.now()}`,
          connectorKey: 'slack',
          authKind: 'webhook_url',
          secrets: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' },
        },
        { token: owner.token },
      );
      expect(slackCred.status).toBe(201);
      const foreign = await t.http.post(
        '/api/credentials',
        { name: `W ${Date.now()}`, connectorKey: 'openweather', authKind: 'api_key', secrets: { apiKey: 'k-123' } },
        { token: other.token },
      );
      expect(foreign.status).toBe(201);
      const res = await post(
        coreWorkflow({
          steps: [weatherStep({ credentialId: slackCred.body.id }), weatherStep({ name: 'weather2', credentialId: foreign.body.id })],
        }),
      );
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(['steps[0].credentialId', 'steps[1].credentialId']);
      expect(JSON.stringify(res.body)).not.toContain('k-123');
    });

    it('a bad cron expression, a bad time zone, a schedule without timing', async () => {
      const cron = await post(coreWorkflow({ trigger: { type: 'schedule', cron: '61 * * * *' } }));
      expect(cron.status).toBe(400);
      expect(fields(cron)).toEqual(['trigger.cron']);
      const words = await post(coreWorkflow({ trigger: { type: 'schedule', cron: 'every day' } }));
      expect(fields(words)).toEqual(['trigger.cron']);
      const tz = await post(coreWorkflow({ trigger: { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Mars/Olympus' } }));
      expect(fields(tz)).toEqual(['trigger.timezone']);
      const none = await post(coreWorkflow({ trigger: { type: 'schedule' } }));
      expect(fields(none)).toEqual(['trigger']);
      const short = await post(coreWorkflow({ trigger: { type: 'schedule', intervalSeconds: 1 } }));
      expect(short.status).toBe(400);
      expect(fields(short)).toEqual(['trigger.intervalSeconds']);
      const ok = await post(coreWorkflow({ trigger: { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Paris' }, active: false }));
      expect(ok.status).toBe(201);
      expect(ok.body.trigger).toEqual({ type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Paris' });
    });

    it('cron schedules that fire closer than the 10 s minimum, on real fire times', async () => {
      const tooClose: Array<[string, string]> = [
        ['* * * * * *', 'UTC'], // every second
        ['*/5 * * * * *', 'UTC'],
        ['0-5 * * * * *', 'UTC'],
        ['0,5 * * * * *', 'Europe/Paris'],
        ['0,55 * * * * *', 'UTC'], // 55 s into a minute, then 5 s later at the next minute's 0
        // 01:59:55 then 03:00:00 on the night clocks go forward: an hour apart on the wall, 5 s in real time
        ['0,55 59,0 1,3 * * *', 'America/New_York'],
      ];
      for (const [cron, timezone] of tooClose) {
        const res = await post(coreWorkflow({ trigger: { type: 'schedule', cron, timezone }, active: false }));
        expect({ cron, status: res.status, fields: fields(res) }).toEqual({ cron, status: 400, fields: ['trigger.cron'] });
        expect(res.body.details[0].message).toMatch(/at least 10 s/);
      }
      for (const [cron, timezone] of [
        ['*/10 * * * * *', 'UTC'],
        ['0,50 * * * * *', 'UTC'],
        ['30 1 * * *', 'America/New_York'],
        ['*/15 * * * *', 'Europe/Paris'],
      ]) {
        const res = await post(coreWorkflow({ trigger: { type: 'schedule', cron, timezone }, active: false }));
        expect({ cron, status: res.status }).toEqual({ cron, status: 201 });
      }
      const w = await createWorkflow(t.http, owner.token, coreWorkflow());
      const edit = await t.http.put(
        `/api/workflows/${w.id}`,
        { trigger: { type: 'schedule', cron: '* * * * * *' } },
        { token: owner.token },
      );
      expect(edit.status).toBe(400);
      expect(fields(edit)).toEqual(['trigger.cron']);
    });

    it('null schedule fields are a 400 naming the field, never a stored schedule', async () => {
      for (const trigger of [
        { type: 'schedule', intervalSeconds: null },
        { type: 'schedule', cron: null },
        { type: 'schedule', cron: '0 9 * * *', timezone: null },
      ]) {
        for (const active of [false, true]) {
          const res = await post(coreWorkflow({ trigger, active }));
          const field = `trigger.${Object.keys(trigger).find((k) => (trigger as Record<string, unknown>)[k] === null)}`;
          expect({ trigger, active, status: res.status, named: fields(res).includes(field) }).toEqual({
            trigger,
            active,
            status: 400,
            named: true,
          });
        }
      }
      const w = await createWorkflow(t.http, owner.token, coreWorkflow());
      const edit = await t.http.put(`/api/workflows/${w.id}`, { trigger: null }, { token: owner.token });
      expect(edit.status).toBe(400);
      expect(fields(edit)).toEqual(['trigger']);
    });

    it('duplicate step names', async () => {
      const res = await post(
        coreWorkflow({
          steps: [
            { name: 'same', type: 'transform', params: { a: 1 } },
            { name: 'same', type: 'transform', params: { b: 2 } },
          ],
        }),
      );
      expect(fields(res)).toEqual(['steps[1].name']);
    });

    it('templates that read unknown or later steps, or are malformed; the GoFlow form {{user.name}} is valid', async () => {
      const res = await post(
        coreWorkflow({
          steps: [
            { name: 'first', type: 'transform', params: { x: '{{steps.second.y}}', y: '{{steps.ghost.z}}', z: '{{user.name}}' } },
            { name: 'second', type: 'transform', params: { ok: '{{steps.first.x}}', bad: 'Hi {{trigger.name' } },
          ],
        }),
      );
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(['steps[0].params.x', 'steps[0].params.y', 'steps[1].params.bad']);
    });

    it('condition params and branch targets', async () => {
      const res = await post(
        coreWorkflow({
          steps: [
            { name: 'late', type: 'transform', params: { a: 1 } },
            {
              name: 'gate',
              type: 'condition',
              params: { left: '{{trigger.total}}', operator: 'bigger', right: 10, then: ['late', 'after'] },
            },
            { name: 'after', type: 'transform', params: { a: 1 } },
          ],
        }),
      );
      expect(fields(res)).toEqual(['steps[1].params.operator', 'steps[1].params.then[0]']);
    });

    it('shape errors from the DTO (missing name, bad step name, unknown field)', async () => {
      const res = await post({ trigger: { type: 'webhook' }, steps: [{ name: '1bad', type: 'transform', params: {} }], extra: 1 });
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(expect.arrayContaining(['name', 'extra']));
      expect(fields(res).some((f: string) => f.startsWith('steps'))).toBe(true);
    });

    it('the same checks apply on edit', async () => {
      const w = await createWorkflow(t.http, owner.token, coreWorkflow());
      const res = await t.http.put(`/api/workflows/${w.id}`, { trigger: { type: 'schedule', cron: 'nope nope' } }, { token: owner.token });
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(['trigger.cron']);
      expect((await t.http.get(`/api/workflows/${w.id}`, { token: owner.token })).body.version).toBe(1);
    });
  });

  it('shows a generated webhook secret once, never again, and rotates it', async () => {
    const res = await t.http.post('/api/workflows', coreWorkflow({ generateWebhookSecret: true }), { token: owner.token });
    expect(res.status).toBe(201);
    const secret: string = res.body.webhookSecret;
    expect(secret).toMatch(/^whsec_/);
    expect(res.body.hasWebhookSecret).toBe(true);
    const get = await t.http.get(`/api/workflows/${res.body.id}`, { token: owner.token });
    const list = await t.http.get('/api/workflows', { token: owner.token, query: { limit: 100 } });
    expect(get.body.hasWebhookSecret).toBe(true);
    expect(get.text).not.toContain(secret);
    expect(list.text).not.toContain(secret);
    expect(t.logs.join('\n')).not.toContain(secret);

    const rotated = await t.http.post(`/api/workflows/${res.body.id}/webhook-secret`, undefined, { token: owner.token });
    expect(rotated.status).toBe(201);
    expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.body.webhookSecret).not.toBe(secret);
    expect((await t.http.delete(`/api/workflows/${res.body.id}/webhook-secret`, { token: owner.token })).status).toBe(204);
    expect((await t.http.get(`/api/workflows/${res.body.id}`, { token: owner.token })).body.hasWebhookSecret).toBe(false);
  });

  it("answers 404 for another tenant's workflow on every verb", async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const as = { token: other.token };
    const calls = await Promise.all([
      t.http.get(`/api/workflows/${w.id}`, as),
      t.http.put(`/api/workflows/${w.id}`, { name: 'x' }, as),
      t.http.put(`/api/workflows/${w.id}/toggle`, { active: false }, as),
      t.http.delete(`/api/workflows/${w.id}`, as),
      t.http.get(`/api/workflows/${w.id}/stats`, as),
      t.http.post(`/api/workflows/${w.id}/run`, { payload: {} }, as),
      t.http.post(`/api/workflows/${w.id}/dry-run`, { payload: {} }, as),
      t.http.post(`/api/workflows/${w.id}/webhook-secret`, undefined, as),
      t.http.delete(`/api/workflows/${w.id}/webhook-secret`, as),
    ]);
    expect(calls.map((c) => c.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 404]);
    const list = await t.http.get('/api/workflows', { token: other.token, query: { limit: 100 } });
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(w.id);
    const still = await t.http.get(`/api/workflows/${w.id}`, { token: owner.token });
    expect(still.body).toMatchObject({ name: w.name, version: 1, active: true });
    expect((await t.http.get('/api/workflows/not-a-uuid', { token: owner.token })).status).toBe(400);
  });

  it('an unknown trigger type is a 400 naming trigger.type with the registered types', async () => {
    const res = await t.http.post('/api/workflows', coreWorkflow({ trigger: { type: 'ftp' } }), { token: owner.token });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'trigger.type', message: expect.stringMatching(/"webhook".*"schedule".*"manual"/) }]);
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const edit = await t.http.put(`/api/workflows/${w.id}`, { trigger: { type: 'ftp', host: 'x' } }, { token: owner.token });
    expect(edit.status).toBe(400);
    expect(fields(edit)).toEqual(['trigger.type']);
    const webhookWithSchedule = await t.http.post('/api/workflows', coreWorkflow({ trigger: { type: 'webhook', cron: '0 9 * * *' } }), {
      token: owner.token,
    });
    expect(fields(webhookWithSchedule)).toEqual(['trigger.cron']);
  });

  it('a manual workflow runs only when asked: its webhook answers 404, POST run starts it', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ trigger: { type: 'manual' } }));
    expect(w.trigger).toEqual({ type: 'manual' });
    const hook = await t.http.post(`/api/webhooks/${w.id}`, { order: { id: 1 } });
    expect(hook.status).toBe(404);
    const run = await t.http.post(`/api/workflows/${w.id}/run`, { payload: { order: { id: 1 } } }, { token: owner.token });
    expect(run.status).toBe(202);
    const done = await waitForExecution(t.http, owner.token, run.body.executionId);
    expect({ status: done.status, trigger: done.trigger }).toEqual({ status: 'succeeded', trigger: 'manual' });
    const moved = await t.http.put(`/api/workflows/${w.id}`, { trigger: { type: 'webhook' } }, { token: owner.token });
    expect(moved.body.trigger).toEqual({ type: 'webhook' });
    expect((await t.http.post(`/api/webhooks/${w.id}`, { order: { id: 2 } })).status).toBe(202);
  });

  it('records the version an execution ran and reports stats computed from the log', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const first = await t.http.post(`/api/workflows/${w.id}/run`, { payload: { order: { id: 1 } } }, { token: owner.token });
    expect(first.status).toBe(202);
    const e1 = await waitForExecution(t.http, owner.token, first.body.executionId);
    await t.http.put(`/api/workflows/${w.id}`, { name: 'v2' }, { token: owner.token });
    const second = await t.http.post(`/api/workflows/${w.id}/run`, { payload: { order: { id: 2 } } }, { token: owner.token });
    const e2 = await waitForExecution(t.http, owner.token, second.body.executionId);
    expect([e1.workflowVersion, e2.workflowVersion]).toEqual([1, 2]);

    const stats = await t.http.get(`/api/workflows/${w.id}/stats`, { token: owner.token });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      workflowId: w.id,
      total: 2,
      byStatus: { queued: 0, running: 0, succeeded: 2, failed: 0, cancelled: 0 },
      successRate: 1,
      lastStatus: 'succeeded',
      lastRunAt: e2.receivedAt,
    });
    expect(stats.body.p50DurationMs).toEqual(expect.any(Number));
    expect(stats.body.p95DurationMs).toBeGreaterThanOrEqual(stats.body.p50DurationMs);
  });
});
