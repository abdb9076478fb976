import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { ExecutionsRepository } from '../src/modules/executions/executions.repository';
import { startFake, FakeServer } from './fakes/fake-server';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

/**
 * Writes per run, counted by PostgreSQL in this test's own database (a row trigger on
 * `executions` logs each row inserted or updated, in the writing transaction): a quick run is
 * one INSERT; a run that outlives EXECUTION_RUNNING_ROW_AFTER_MS writes `running`
 * while it runs, then its result (INSERT + UPDATE); a retried run counts up its attempts.
 */
describe('execution writes: one write per quick run (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let sink: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let db: DataSource;
  let privateDb: PrivateDatabase;
  let release: () => void = () => undefined;
  let flaky = 0;

  beforeAll(async () => {
    sink = await startFake({
      // held until the test releases it: a run as long as the test wants, with no timing in it
      'POST /hold': () => new Promise((r) => (release = () => r({ body: { ok: true } }))),
      // fails once, then succeeds
      'POST /flaky': () => (flaky++ === 0 ? { status: 503, body: { error: 'busy' } } : { body: { ok: true } }),
    });
    // Its own database: the write log sees every write to `executions`, and other spec files
    // write executions in the shared one. (pg_stat_user_tables was tried first: a backend that
    // goes idle may hold its counters for up to 10 s, so they could not be read exactly.)
    privateDb = await createPrivateDatabase('exec_writes');
    const admin = new Client({ connectionString: privateDb.url });
    await admin.connect();
    try {
      await admin.query(`
        CREATE TABLE test_write_log (op text NOT NULL, id uuid NOT NULL);
        CREATE FUNCTION test_log_write() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO test_write_log (op, id) VALUES (TG_OP, NEW.id); RETURN NULL; END $$;
        CREATE TRIGGER test_write_log AFTER INSERT OR UPDATE ON executions FOR EACH ROW EXECUTE FUNCTION test_log_write();`);
    } finally {
      await admin.end();
    }
    t = await startTestApp({ DATABASE_URL: privateDb.url, OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1', EXECUTION_RUNNING_ROW_AFTER_MS: '1000' });
    owner = await registerTenant(t.http, 'Writes');
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    release();
    await t?.close();
    await sink?.close();
    await privateDb?.drop();
  });

  /** Rows inserted and updated in `executions` (any partition) so far, from the write log. */
  const tuples = async () => {
    const [r] = await db.query(
      `SELECT count(*) FILTER (WHERE op = 'INSERT')::int AS ins, count(*) FILTER (WHERE op = 'UPDATE')::int AS upd FROM test_write_log`,
    );
    return r as { ins: number; upd: number };
  };
  /** Waits until `ins` inserts are logged, then until nothing more is written (a final write may follow what the API already shows). */
  const settledDelta = async (before: { ins: number; upd: number }, ins: number) => {
    await waitFor(async () => (await tuples()).ins - before.ins >= ins, `${ins} inserts`, 30_000, 200);
    let last = await tuples();
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const now = await tuples();
      if (now.ins === last.ins && now.upd === last.upd) break;
      last = now;
    }
    return { ins: last.ins - before.ins, upd: last.upd - before.upd };
  };
  const httpStep = (path: string) => ({
    name: 'call',
    connector: 'http',
    action: 'request',
    params: { method: 'POST', url: `${sink.url}${path}` },
  });

  it('N quick runs (webhook → transform) insert N rows and update none', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const N = 20;
    const before = await tuples();
    const ids = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const res = await t.http.post(`/api/webhooks/${w.id}`, { user: { name: `u${i}` }, order: { id: i } });
        expect(res.status).toBe(202);
        return res.body.executionId as string;
      }),
    );
    await waitFor(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM executions WHERE workflow_id = $1 AND status = 'succeeded'`, [w.id]))[0].n === N,
      'all runs to succeed',
      60_000,
      100,
    );
    expect(await settledDelta(before, N)).toEqual({ ins: N, upd: 0 });

    const rows: Array<{ id: string; attempts: number; started_at: Date | null; finished_at: Date | null; steps: unknown[] }> =
      await db.query(`SELECT id, attempts, started_at, finished_at, steps FROM executions WHERE workflow_id = $1`, [w.id]);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
    for (const r of rows) {
      expect(r.attempts).toBe(1);
      expect(r.started_at).not.toBeNull();
      expect(r.finished_at!.getTime()).toBeGreaterThanOrEqual(r.started_at!.getTime());
      expect(r.steps).toHaveLength(2);
    }
    const one = await waitForExecution(t.http, owner.token, ids[0]);
    expect(one).toMatchObject({ status: 'succeeded', attempts: 1, workflowVersion: 1, trigger: 'webhook' });
  });

  it('a run longer than the delay reads `running` and has a running row while it runs, then is updated once', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ steps: [httpStep('/hold')] }));
    const before = await tuples();
    const res = await t.http.post(`/api/webhooks/${w.id}`, {});
    const id = res.body.executionId as string;

    // taken by the worker: `running` from its job, then from its row once it outlives the delay
    await waitForExecution(t.http, owner.token, id, 30_000, (e) => e.status === 'running');
    const row = await waitFor(
      async () => (await db.query(`SELECT status, attempts, started_at, updated_at FROM executions WHERE id = $1`, [id]))[0],
      'the running row',
      30_000,
      100,
    );
    expect(row).toMatchObject({ status: 'running', attempts: 1 });
    expect(row.updated_at).toBeInstanceOf(Date); // what the stuck-run reconciler reads
    const running = await t.http.get(`/api/executions/${id}`, { token: owner.token });
    expect(running.body).toMatchObject({ id, status: 'running', attempts: 1, finishedAt: null });
    const listed = await t.http.get('/api/logs', { token: owner.token, query: { status: 'running', workflowId: w.id } });
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([id]);

    release();
    const done = await waitForExecution(t.http, owner.token, id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(Date.parse(done.startedAt)).toBe(row.started_at.getTime());
    expect(await settledDelta(before, 1)).toEqual({ ins: 1, upd: 1 });
  });

  it('a first attempt that fails and is retried: its row is inserted by the failed attempt, attempts count up', async () => {
    const w = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ steps: [httpStep('/flaky')], settings: { retries: 2, backoff: { type: 'fixed', delayMs: 50 } } }),
    );
    flaky = 0;
    const before = await tuples();
    const res = await t.http.post(`/api/webhooks/${w.id}`, {});
    const done = await waitForExecution(t.http, owner.token, res.body.executionId);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, error: null });
    expect(flaky).toBe(2);
    // queued (insert, attempt 1) → running (update, attempt 2) → succeeded (update)
    expect(await settledDelta(before, 1)).toEqual({ ins: 1, upd: 2 });
  });

  it('order independence: a running-row write that lands after the final one changes nothing', async () => {
    const repo = t.app.get(ExecutionsRepository);
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const id = randomUUID();
    const base = {
      id,
      tenantId: owner.tenantId as string,
      workflowId: w.id,
      workflowName: w.name,
      workflowVersion: 1,
      trigger: 'webhook' as const,
      jobId: id,
      input: { a: 1 },
      inputTruncated: false,
      inputSealed: null,
      retryOf: null,
      scheduledFor: null,
      receivedAt: new Date(),
    };
    const startedAt = new Date(Date.now() - 5000);
    expect(await repo.record({ ...base, attempts: 1, startedAt }, { status: 'succeeded', steps: [], error: null, durationMs: 5 })).toBe(
      true,
    );
    // the delayed start (and a second final write) after it: both refused, the row as written
    expect(await repo.start({ ...base, attempts: 1, startedAt: new Date() })).toBeNull();
    expect(await repo.record({ ...base, attempts: 1, startedAt }, { status: 'failed', steps: [], error: null, durationMs: 9 })).toBe(false);
    const [row] = await db.query(`SELECT status, attempts, duration_ms, started_at, received_at FROM executions WHERE id = $1`, [id]);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, duration_ms: 5 });
    expect(row.started_at.getTime()).toBe(startedAt.getTime());

    // the other order: running row first, then the final write updates it (keeping when it started)
    const id2 = randomUUID();
    const b2 = { ...base, id: id2, jobId: id2 };
    expect(await repo.start({ ...b2, attempts: 1, startedAt })).toBe(1);
    expect(
      await repo.record({ ...b2, attempts: 1, startedAt: new Date() }, { status: 'succeeded', steps: [], error: null, durationMs: 7 }),
    ).toBe(true);
    const [row2] = await db.query(`SELECT status, attempts, duration_ms, started_at FROM executions WHERE id = $1`, [id2]);
    expect(row2).toMatchObject({ status: 'succeeded', attempts: 1, duration_ms: 7 });
    expect(row2.started_at.getTime()).toBe(startedAt.getTime());

    // another tenant's final write for the same id touches nothing
    expect(
      await repo.record(
        { ...b2, tenantId: randomUUID(), attempts: 1, startedAt },
        { status: 'failed', steps: [], error: null, durationMs: 1 },
      ),
    ).toBe(false);
  });
});
