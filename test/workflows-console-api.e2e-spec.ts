import { CronExpressionParser } from 'cron-parser';
import { repeatOptionsFor } from '../src/modules/triggers/schedule/repeat-options';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

/** The console's API additions: the last run in the workflows list, and the schedule preview. */
describe('workflows console API: last run, schedule preview (HTTP, PostgreSQL, Redis)', () => {
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
  const preview = (body: Record<string, unknown>, token = owner.token) => t.http.post('/api/workflows/schedule-preview', body, { token });

  describe('GET /api/workflows: lastRun', () => {
    it('is null for a workflow that never ran, and the newest run (status, time) after runs', async () => {
      const ran = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'ran twice' }));
      const idle = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'never ran' }));

      const first = await t.http.post(`/api/webhooks/${ran.id}`, { order: { id: 1 } });
      expect(first.status).toBe(202);
      await waitForExecution(t.http, owner.token, first.body.executionId);
      const second = await t.http.post(`/api/webhooks/${ran.id}`, { order: { id: 2 } });
      expect(second.status).toBe(202);
      const done = await waitForExecution(t.http, owner.token, second.body.executionId);
      expect(done.status).toBe('succeeded');

      const list = await t.http.get('/api/workflows?limit=100', { token: owner.token });
      expect(list.status).toBe(200);
      const byId = new Map<string, any>(list.body.items.map((w: any) => [w.id, w]));
      expect(byId.get(ran.id).lastRun).toEqual({
        executionId: second.body.executionId,
        status: 'succeeded',
        receivedAt: done.receivedAt,
      });
      expect(byId.get(idle.id).lastRun).toBeNull();
    });

    it('is tenant-scoped: another tenant lists only its own workflows, with their own runs', async () => {
      const mine = await createWorkflow(t.http, other.token, coreWorkflow({ name: 'other tenant flow' }));
      const list = await t.http.get('/api/workflows?limit=100', { token: other.token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((w: any) => w.id)).toEqual([mine.id]);
      expect(list.body.items[0].lastRun).toBeNull();
      // The run of another tenant's workflow never shows through its id either.
      const acme = await t.http.get('/api/workflows?limit=100', { token: owner.token });
      expect(acme.body.items.map((w: any) => w.id)).not.toContain(mine.id);
    });

    it('follows the active filter and paging (lastRun on every page)', async () => {
      const page = await t.http.get('/api/workflows?limit=1&page=2', { token: owner.token });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ page: 2, limit: 1, total: 2 });
      expect(page.body.items).toHaveLength(1);
      expect(page.body.items[0]).toHaveProperty('lastRun');
    });
  });

  describe('POST /api/workflows/schedule-preview', () => {
    it('gives the next cron fire times in a DST time zone, as the scheduler computes them', async () => {
      // Sundays at noon in March and April, Paris: the last Sunday of March is in summer time
      // (10:00 UTC), the ones before it in winter time (11:00 UTC).
      const cron = '0 12 * 3,4 0';
      const before = new Date();
      const res = await preview({ cron, timezone: 'Europe/Paris', count: 10 });
      expect(res.status).toBe(200);
      expect(res.body.timezone).toBe('Europe/Paris');
      expect(res.body.description).toContain(cron);
      const times: string[] = res.body.fireTimes;
      expect(times).toHaveLength(10);
      const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit' });
      for (const iso of times) expect(paris.format(new Date(iso))).toBe(`Sun 12:00`);
      expect(new Set(times.map((iso) => new Date(iso).getUTCHours()))).toEqual(new Set([10, 11]));
      // Exactly the times cron-parser (BullMQ's) gives for the same expression and zone.
      const expr = CronExpressionParser.parse(cron, { tz: 'Europe/Paris', currentDate: before });
      expect(times).toEqual(Array.from({ length: 10 }, () => expr.next().toDate().toISOString()));
    });

    it('defaults to UTC and 5 fire times', async () => {
      const res = await preview({ cron: '*/15 * * * *' });
      expect(res.status).toBe(200);
      expect(res.body.timezone).toBe('UTC');
      expect(res.body.fireTimes).toHaveLength(5);
      const ms = res.body.fireTimes.map((s: string) => Date.parse(s));
      for (let i = 1; i < ms.length; i++) expect(ms[i] - ms[i - 1]).toBe(15 * 60_000);
    });

    it('gives interval times from now, and the exact times of a saved workflow (its per-workflow offset)', async () => {
      const before = Date.now();
      const res = await preview({ intervalSeconds: 600, count: 3 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ timezone: 'UTC', description: 'Every 10 minutes' });
      const ms: number[] = res.body.fireTimes.map((s: string) => Date.parse(s));
      expect(ms[0]).toBeGreaterThan(before);
      expect(ms[0]).toBeLessThanOrEqual(Date.now() + 600_000);
      expect([ms[1] - ms[0], ms[2] - ms[1]]).toEqual([600_000, 600_000]);

      const workflowId = '7f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
      const exact = await preview({ intervalSeconds: 600, workflowId });
      expect(exact.status).toBe(200);
      const offset = repeatOptionsFor({ type: 'schedule', intervalSeconds: 600 }, workflowId).offset as number;
      for (const iso of exact.body.fireTimes) expect((Date.parse(iso) - offset) % 600_000).toBe(0);
      const first = Date.parse(exact.body.fireTimes[0]);
      expect(first).toBeGreaterThan(before);
      expect(first).toBeLessThanOrEqual(Date.now() + 600_000);
    });

    it.each([
      ['an invalid cron', { cron: 'every day' }, 'cron'],
      ['a cron of 7 fields', { cron: '0 0 0 * * * *' }, 'cron'],
      ['a cron firing every second', { cron: '* * * * * *' }, 'cron'],
      ['an unknown time zone', { cron: '0 9 * * *', timezone: 'Mars/Olympus' }, 'timezone'],
      ['a time zone with an interval', { intervalSeconds: 600, timezone: 'Europe/Paris' }, 'timezone'],
      ['an interval under 10 s', { intervalSeconds: 5 }, 'intervalSeconds'],
      ['a non-integer interval', { intervalSeconds: 12.5 }, 'intervalSeconds'],
      ['both an interval and a cron', { intervalSeconds: 600, cron: '0 9 * * *' }, 'intervalSeconds'],
      ['neither', {}, 'cron'],
      ['a count over 20', { cron: '0 9 * * *', count: 21 }, 'count'],
      ['a workflowId that is not a UUID', { intervalSeconds: 600, workflowId: 'nope' }, 'workflowId'],
    ])('refuses %s: a 400 naming the field', async (_what, body, field) => {
      const res = await preview(body);
      expect({ status: res.status, code: res.body.code, fields: fields(res) }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [field],
      });
    });

    it('needs a session', async () => {
      const res = await t.http.post('/api/workflows/schedule-preview', { cron: '0 9 * * *' });
      expect(res.status).toBe(401);
    });
  });

  describe('webhook signing secret (the trigger panel)', () => {
    it('generates a secret shown once, flags the workflow, removes it; another tenant gets 404', async () => {
      const wf = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'signed' }));
      const gen = await t.http.post(`/api/workflows/${wf.id}/webhook-secret`, undefined, { token: owner.token });
      expect(gen.status).toBe(201);
      expect(gen.body.webhookSecret).toEqual(expect.any(String));
      expect(gen.body.signatureFormat).toContain('X-Flowgate-Signature');
      const read = await t.http.get(`/api/workflows/${wf.id}`, { token: owner.token });
      expect(read.body.hasWebhookSecret).toBe(true);
      expect(JSON.stringify(read.body)).not.toContain(gen.body.webhookSecret);

      expect((await t.http.post(`/api/workflows/${wf.id}/webhook-secret`, undefined, { token: other.token })).status).toBe(404);

      const del = await t.http.delete(`/api/workflows/${wf.id}/webhook-secret`, { token: owner.token });
      expect(del.status).toBe(204);
      expect((await t.http.get(`/api/workflows/${wf.id}`, { token: owner.token })).body.hasWebhookSecret).toBe(false);
      await t.http.delete(`/api/workflows/${wf.id}`, { token: owner.token });
    });
  });
});
