import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueueService } from '../src/core/queue/queue.module';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

describe('GET /api/dashboard (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerTenant>>;
  let b: Awaited<ReturnType<typeof registerTenant>>;
  const wf: Record<'fast' | 'slow' | 'flaky' | 'broken', { id: string; name: string }> = {} as never;

  /** One recorded run, written as the worker would, received `agoMin` minutes ago. */
  const seed = async (tenantId: string, w: { id: string; name: string }, status: string, durationMs: number | null, agoMin = 30) => {
    const id = randomUUID();
    const receivedAt = new Date(Date.now() - agoMin * 60_000);
    const finished = ['succeeded', 'failed', 'cancelled'].includes(status);
    await t.app.get(DataSource).query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, workflow_version, trigger, status, job_id, input, attempts,
                               received_at, started_at, finished_at, duration_ms)
       VALUES ($1::uuid, $2, $3, $4, 1, 'webhook', $5, $1::text, '{}'::jsonb, 1, $6, $6, $7, $8)`,
      [id, tenantId, w.id, w.name, status, receivedAt, finished ? new Date(receivedAt.getTime() + (durationMs ?? 0)) : null, durationMs],
    );
    return id;
  };
  const dashboard = (token: string, query = '') => t.http.get(`/api/dashboard${query}`, { token });

  beforeAll(async () => {
    t = await startTestApp();
    a = await registerTenant(t.http, 'Dash A');
    b = await registerTenant(t.http, 'Dash B');
    for (const key of ['fast', 'slow', 'flaky', 'broken'] as const) {
      const w = await createWorkflow(t.http, a.token, coreWorkflow({ name: `dash ${key}`, active: key !== 'broken' }));
      wf[key] = { id: w.id, name: w.name };
    }
    // fast: 3 quick successes; slow: 2 long successes; flaky: 1 failure in 4; broken: 2 failures in 2.
    for (let i = 0; i < 3; i++) await seed(a.tenantId, wf.fast, 'succeeded', 10 + i);
    for (const d of [5_000, 9_000]) await seed(a.tenantId, wf.slow, 'succeeded', d);
    for (const s of ['succeeded', 'succeeded', 'succeeded', 'failed']) await seed(a.tenantId, wf.flaky, s, 200);
    for (let i = 0; i < 2; i++) await seed(a.tenantId, wf.broken, 'failed', 50);
    await seed(a.tenantId, wf.fast, 'running', null);
    await seed(a.tenantId, wf.fast, 'cancelled', 5);
    // Outside 24 h, inside 7 days.
    await seed(a.tenantId, wf.broken, 'failed', 60_000, 30 * 60);
  });
  afterAll(() => t.close());

  it('counts the window by status, with the success rate over decided runs', async () => {
    const res = await dashboard(a.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      activeWorkflows: 3,
      totalWorkflows: 4,
      runs: { total: 13, byStatus: { queued: 0, running: 1, succeeded: 8, failed: 3, cancelled: 1 }, successRate: 0.7273 },
      queue: { waiting: 0, active: 0, delayed: 0, complete: true },
    });
    const { from, to } = res.body.window;
    expect(Date.parse(to) - Date.parse(from)).toBe(24 * 3_600_000);
    expect(Date.parse(res.body.generatedAt)).toBeGreaterThanOrEqual(Date.parse(to));
  });

  it('lists every hour of the window, the runs in the hours they were received', async () => {
    const res = await dashboard(a.token);
    const hours = res.body.runsPerHour as Array<{ hour: string; succeeded: number; failed: number; other: number }>;
    expect(hours.length).toBeGreaterThanOrEqual(24);
    expect(hours.length).toBeLessThanOrEqual(25);
    const sorted = [...hours].sort((x, y) => x.hour.localeCompare(y.hour));
    expect(hours).toEqual(sorted);
    for (const h of hours) expect(new Date(h.hour).getUTCMinutes()).toBe(0);
    const sum = hours.reduce((s, h) => ({ ok: s.ok + h.succeeded, ko: s.ko + h.failed, other: s.other + h.other }), {
      ok: 0,
      ko: 0,
      other: 0,
    });
    expect(sum).toEqual({ ok: 8, ko: 3, other: 2 });
  });

  it('orders the slowest by p95 of finished runs and the most failing by failures', async () => {
    const res = await dashboard(a.token);
    expect(res.body.slowest.map((s: { name: string }) => s.name)).toEqual(['dash slow', 'dash flaky', 'dash broken', 'dash fast']);
    expect(res.body.slowest[0]).toMatchObject({ workflowId: wf.slow.id, runs: 2, p95DurationMs: 8800, avgDurationMs: 7000 });
    // The cancelled and running runs of `fast` are not finished-and-timed: 3 runs.
    expect(res.body.slowest[3]).toMatchObject({ workflowId: wf.fast.id, runs: 3, avgDurationMs: 11 });
    expect(res.body.mostFailing).toEqual([
      { workflowId: wf.broken.id, name: 'dash broken', runs: 2, failed: 2, failureRate: 1 },
      { workflowId: wf.flaky.id, name: 'dash flaky', runs: 4, failed: 1, failureRate: 0.25 },
    ]);
  });

  it('widens the window with hours=168', async () => {
    const res = await dashboard(a.token, '?hours=168');
    expect(res.status).toBe(200);
    expect(res.body.runs.total).toBe(14);
    expect(res.body.runsPerHour.length).toBeGreaterThanOrEqual(168);
    expect(res.body.mostFailing[0]).toMatchObject({ workflowId: wf.broken.id, runs: 3, failed: 3 });
    expect(res.body.slowest[0]).toMatchObject({ workflowId: wf.broken.id });
  });

  it('shows another tenant none of it (workflows, runs, queue)', async () => {
    const job = await t.app
      .get(QueueService)
      .queue('executions')
      .add(
        'run',
        { tenantId: a.tenantId, workflowId: wf.fast.id, trigger: 'webhook', receivedAt: new Date().toISOString(), payload: {} },
        { jobId: randomUUID(), delay: 3_600_000 },
      );
    try {
      const mine = await dashboard(a.token);
      expect(mine.body.queue).toEqual({ waiting: 0, active: 0, delayed: 1, complete: true });
      const theirs = await dashboard(b.token);
      expect(theirs.status).toBe(200);
      expect(theirs.body).toMatchObject({
        activeWorkflows: 0,
        totalWorkflows: 0,
        runs: { total: 0, byStatus: { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 }, successRate: null },
        slowest: [],
        mostFailing: [],
        queue: { waiting: 0, active: 0, delayed: 0, complete: true },
      });
      expect(
        theirs.body.runsPerHour.every((h: { succeeded: number; failed: number; other: number }) => h.succeeded + h.failed + h.other === 0),
      ).toBe(true);
    } finally {
      await job.remove();
    }
  });

  it('counts a real webhook run once it has finished', async () => {
    const w = await createWorkflow(t.http, b.token, coreWorkflow({ name: 'b live' }));
    const accepted = await t.http.post(`/api/workflows/${w.id}/run`, { payload: { order: { id: 1 } } }, { token: b.token });
    expect(accepted.status).toBe(202);
    await waitForExecution(t.http, b.token, accepted.body.executionId);
    const res = await dashboard(b.token);
    expect(res.body).toMatchObject({ activeWorkflows: 1, totalWorkflows: 1, runs: { total: 1, successRate: 1 } });
    expect(res.body.slowest).toEqual([expect.objectContaining({ workflowId: w.id, name: 'b live', runs: 1 })]);
  });

  it.each(['0', '169', 'abc', '1.5', '-1'])('400 naming hours for hours=%s', async (hours) => {
    const res = await dashboard(a.token, `?hours=${hours}`);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(expect.arrayContaining([{ field: 'hours', message: expect.stringContaining('1 to 168') }]));
    expect(res.body.details.every((d: { field: string }) => d.field === 'hours')).toBe(true);
  });

  it('answers a member (every role reads it) with the same figures', async () => {
    const email = uniqueEmail('member');
    const password = 'Member-passw0rd-1';
    expect((await t.http.post('/api/tenants/current/members', { email, password, role: 'member' }, { token: a.token })).status).toBe(201);
    const login = await t.http.post('/api/auth/login', { email, password });
    expect(login.status).toBe(200);
    const res = await dashboard(login.body.accessToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalWorkflows: 4, runs: { total: 13 } });
  });

  it('401 without a token', async () => {
    expect((await t.http.get('/api/dashboard')).status).toBe(401);
  });
});
