import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PartitionExecutions1763750000000 } from '../migrations/1763750000000-partition-executions';
import { QueueService } from '../src/core/queue/queue.module';
import { ExecutionsRepository } from '../src/modules/executions/executions.repository';
import { dailyPartitionName, DEFAULT_PARTITION, ExecutionPartitions, utcDayStart } from '../src/modules/executions/execution-partitions';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

const DAY_MS = 24 * 3600 * 1000;
const AHEAD = 10;

/**
 * `executions` partitioned by day (migration 1763750000000, maintenance jobs
 * ensure-execution-partitions and prune-executions). Its own database: the tests create,
 * drop and rebuild partitions, which every tenant's rows live in.
 */
describe('executions: daily partitions, retention by partition, logs plan', () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let other: Awaited<ReturnType<typeof registerTenant>>;
  const pg = () => t.app.get(DataSource);
  const queues = () => t.app.get(QueueService);
  const today = () => utcDayStart(Date.now());

  const partitionsNow = async (): Promise<string[]> => t.app.get(ExecutionPartitions).partitions();
  /** The partition a row is stored in. */
  const partitionOf = async (id: string): Promise<string | undefined> =>
    (await pg().query(`SELECT tableoid::regclass::text AS p FROM executions WHERE id = $1`, [id]))[0]?.p;
  const insertAt = (id: string, tenantId: string, receivedAt: Date, status = 'succeeded', workflowId: string | null = null) =>
    pg().query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, trigger, status, job_id, received_at)
       VALUES ($1::uuid, $2, $3, 'synthetic', 'webhook', $4, $1::text, $5)`,
      [id, tenantId, workflowId, status, receivedAt],
    );

  beforeAll(async () => {
    db = await createPrivateDatabase('partitions');
    t = await startTestApp({ DATABASE_URL: db.url, EXECUTION_PARTITIONS_AHEAD_DAYS: String(AHEAD), EXECUTION_RETENTION_DAYS: '30' });
    owner = await registerTenant(t.http, 'Partitioned');
    other = await registerTenant(t.http, 'Elsewhere');
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('creates the daily partitions up to today + EXECUTION_PARTITIONS_AHEAD_DAYS at start-up, beside DEFAULT', async () => {
    const names = await partitionsNow();
    // The migration creates 7 days ahead; days 8..10 exist only because start-up ran the ensure job.
    for (let d = 0; d <= AHEAD; d++) expect(names).toContain(dailyPartitionName(today() + d * DAY_MS));
    expect(names).toContain(DEFAULT_PARTITION);
    const schedulers = await queues().queue('maintenance').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(expect.arrayContaining(['ensure-execution-partitions', 'prune-executions']));
  });

  it('a run of a day without a partition lands in DEFAULT; the ensure job creates the day and moves it there', async () => {
    const day = today() + AHEAD * DAY_MS;
    const name = dailyPartitionName(day);
    // As if maintenance had not run yet for that day.
    await pg().query(`DROP TABLE ${name}`);
    const id = randomUUID();
    await insertAt(id, owner.tenantId, new Date(day + 3600_000));
    expect(await partitionOf(id)).toBe(DEFAULT_PARTITION);

    await queues().add('maintenance', 'ensure-execution-partitions', {});
    await waitFor(async () => (await partitionOf(id)) === name, 'the ensure job to move the row into its new partition');
    expect(await partitionsNow()).toContain(name);
    expect((await pg().query(`SELECT count(*)::int AS n FROM executions WHERE id = $1`, [id]))[0].n).toBe(1);
  });

  it('ensure is idempotent and safe when two workers run it at once', async () => {
    const partitions = t.app.get(ExecutionPartitions);
    const future = today() + 40 * DAY_MS;
    const id = randomUUID();
    await insertAt(id, owner.tenantId, new Date(future + 60_000));
    const [a, b] = await Promise.all([partitions.ensure(2, future), partitions.ensure(2, future)]);
    const created = [...a.created, ...b.created].sort();
    expect(created).toEqual([0, 1, 2].map((d) => dailyPartitionName(future + d * DAY_MS)));
    expect(a.moved + b.moved).toBe(1);
    expect(await partitionOf(id)).toBe(dailyPartitionName(future));
    expect(await partitions.ensure(2, future)).toEqual({ created: [], moved: 0 });
  });

  it('retention drops whole partitions past the cutoff, deletes old rows left in DEFAULT, keeps recent rows', async () => {
    const partitions = t.app.get(ExecutionPartitions);
    const oldDay = today() - 40 * DAY_MS;
    await partitions.ensure(1, oldDay);
    const inOldPartition = randomUUID();
    const inDefaultOld = randomUUID();
    const unfinishedOld = randomUUID();
    const inDefaultRecent = randomUUID();
    const recent = randomUUID();
    await insertAt(inOldPartition, owner.tenantId, new Date(oldDay + 3600_000));
    await insertAt(unfinishedOld, owner.tenantId, new Date(oldDay + DAY_MS + 60_000), 'running');
    await insertAt(inDefaultOld, owner.tenantId, new Date(oldDay - 5 * DAY_MS));
    await insertAt(inDefaultRecent, owner.tenantId, new Date(today() - 2 * DAY_MS));
    await insertAt(recent, owner.tenantId, new Date());
    expect(await partitionOf(inOldPartition)).toBe(dailyPartitionName(oldDay));
    expect(await partitionOf(inDefaultOld)).toBe(DEFAULT_PARTITION);
    expect(await partitionOf(inDefaultRecent)).toBe(DEFAULT_PARTITION);

    await queues().add('maintenance', 'prune-executions', {});
    await waitFor(async () => !(await partitionOf(inDefaultOld)), 'the prune job to finish');
    const names = await partitionsNow();
    expect(names).not.toContain(dailyPartitionName(oldDay));
    expect(names).not.toContain(dailyPartitionName(oldDay + DAY_MS));
    expect(await partitionOf(inOldPartition)).toBeUndefined();
    expect(await partitionOf(unfinishedOld)).toBeUndefined();
    expect(await partitionOf(inDefaultRecent)).toBe(DEFAULT_PARTITION);
    expect(await partitionOf(recent)).toBe(dailyPartitionName(today()));
    expect(names).toContain(dailyPartitionName(today()));
  });

  it('an upsert of the same execution twice keeps one row (conflict on id, received_at)', async () => {
    const repo = t.app.get(ExecutionsRepository);
    const id = randomUUID();
    const start = {
      id,
      tenantId: owner.tenantId,
      workflowId: null,
      workflowName: 'twice',
      workflowVersion: 1,
      trigger: 'manual',
      jobId: id,
      input: { a: 1 },
      inputTruncated: false,
      inputSealed: null,
      retryOf: null,
      scheduledFor: null,
      receivedAt: new Date(),
    };
    expect(await repo.start(start)).toBe(1);
    expect(await repo.start(start)).toBe(2);
    await repo.recordEnded(start, { status: 'cancelled', steps: [], error: null, durationMs: null });
    const rows = await pg().query(`SELECT status, attempts FROM executions WHERE id = $1`, [id]);
    expect(rows).toEqual([{ status: 'cancelled', attempts: 2 }]);
    // A final row is not started again.
    expect(await repo.start(start)).toBeNull();
  });

  it('runs through the API land in today’s partition and each tenant lists only its own', async () => {
    const mine = await createWorkflow(t.http, owner.token, coreWorkflow());
    const theirs = await createWorkflow(t.http, other.token, coreWorkflow());
    const run = async (workflowId: string, token: string) => {
      const res = await t.http.post(`/api/workflows/${workflowId}/run`, { payload: { order: { id: 1 } } }, { token });
      expect(res.status).toBe(202);
      return (await waitForExecution(t.http, token, res.body.executionId)).id as string;
    };
    const a = await run(mine.id, owner.token);
    const b = await run(theirs.id, other.token);
    expect(await partitionOf(a)).toBe(dailyPartitionName(today()));
    const mineList = (await t.http.get('/api/logs', { token: owner.token })).body.items.map((i: { id: string }) => i.id);
    const theirList = (await t.http.get('/api/logs', { token: other.token })).body.items.map((i: { id: string }) => i.id);
    expect(mineList).toContain(a);
    expect(mineList).not.toContain(b);
    expect(theirList).toEqual([b]);
    expect((await t.http.get(`/api/executions/${b}`, { token: owner.token })).status).toBe(404);
  });

  describe('first page of GET /api/logs', () => {
    let workflowId: string;
    beforeAll(async () => {
      workflowId = (await createWorkflow(t.http, owner.token, coreWorkflow())).id;
      // Enough rows over a week of partitions that the planner's choice matters (both tenants).
      const partitions = t.app.get(ExecutionPartitions);
      await partitions.ensure(7, today() - 7 * DAY_MS);
      await pg().query(
        `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, trigger, status, job_id, received_at)
         SELECT gen_random_uuid(), CASE WHEN g % 4 = 0 THEN $2::uuid ELSE $1::uuid END, CASE WHEN g % 3 = 0 THEN $3::uuid END,
                'bulk', 'webhook', (ARRAY['succeeded','failed','succeeded','cancelled'])[1 + g % 4], 'bulk',
                now() - (g::float / 60000) * interval '7 days'
         FROM generate_series(1, 60000) g`,
        [owner.tenantId, other.tenantId, workflowId],
      );
      await pg().query('ANALYZE executions');
    });

    /** The list statement the API ran for `path`, explained with its own parameters. */
    const planOf = async (path: string) => {
      const ds = pg();
      const spy = jest.spyOn(ds, 'query');
      let call: unknown[] | undefined;
      try {
        const res = await t.http.get(path, { token: owner.token });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeGreaterThan(0);
        call = spy.mock.calls.find((c) =>
          /FROM executions WHERE tenant_id = \$1.*ORDER BY received_at DESC, id DESC LIMIT/s.test(String(c[0])),
        );
      } finally {
        spy.mockRestore();
      }
      expect(call).toBeDefined();
      const [[{ 'QUERY PLAN': plan }]] = [await ds.query(`EXPLAIN (FORMAT JSON) ${String(call![0])}`, call![1] as unknown[])];
      return plan[0].Plan as PlanNode;
    };

    it.each([
      ['default filters', '/api/logs'],
      ['a status filter', '/api/logs?status=failed'],
      ['two statuses', '/api/logs?status=failed,cancelled'],
      ['a workflow filter', () => `/api/logs?workflowId=${workflowId}`],
      ['a trigger filter', '/api/logs?trigger=webhook'],
    ])('with %s: index scans merged in order under the LIMIT, no Seq Scan, no Sort above the Append', async (_label, path) => {
      const plan = await planOf(typeof path === 'function' ? path() : path);
      const nodes = flatten(plan);
      expect(plan['Node Type']).toBe('Limit');
      const scans = nodes.filter((n) => typeof n['Relation Name'] === 'string' && n['Relation Name'].startsWith('executions'));
      expect(scans.length).toBeGreaterThan(1);
      expect(scans.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
      expect(scans.every((n) => /Index/.test(n['Node Type']))).toBe(true);
      // Nothing sorts the merged rows: the order comes from the indexes.
      const sortsAboveAppend = nodes.filter((n) => /Sort/.test(n['Node Type']) && flatten(n).some((c) => /Append/.test(c['Node Type'])));
      expect(sortsAboveAppend).toEqual([]);
      expect(nodes.some((n) => /Append/.test(n['Node Type']))).toBe(true);
    });
  });

  describe('migration on a database with rows', () => {
    it('rebuilds the unpartitioned table as daily partitions, keeping every row and the indexes', async () => {
      const migration = new PartitionExecutions1763750000000();
      const runner = pg().createQueryRunner();
      try {
        await migration.down(runner);
        expect((await runner.query(`SELECT relkind::text AS k FROM pg_class WHERE oid = 'executions'::regclass`))[0].k).toBe('r');
        const before: Array<{ n: number }> = await runner.query(`SELECT count(*)::int AS n FROM executions`);
        const oldId = randomUUID();
        await runner.query(
          `INSERT INTO executions (id, tenant_id, workflow_name, trigger, status, job_id, received_at)
           VALUES ($1::uuid, $2, 'legacy', 'webhook', 'succeeded', $1::text, now() - interval '12 days')`,
          [oldId, owner.tenantId],
        );
        await migration.up(runner);
        expect((await runner.query(`SELECT count(*)::int AS n FROM executions`))[0].n).toBe(before[0].n + 1);
        expect(await partitionOf(oldId)).toBe(dailyPartitionName(utcDayStart(Date.now() - 12 * DAY_MS)));
        const indexes: Array<{ name: string }> = await runner.query(
          `SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = 'executions'::regclass ORDER BY 1`,
        );
        expect(indexes.map((i) => i.name)).toEqual([
          'executions_pkey',
          'executions_tenant_received_idx',
          'executions_tenant_status_idx',
          'executions_tenant_workflow_idx',
          'executions_unfinished_idx',
        ]);
      } finally {
        await runner.release();
      }
      // Still served through the API after the rebuild.
      expect((await t.http.get('/api/logs?limit=5', { token: owner.token })).body.items).toHaveLength(5);
    });
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function flatten(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(flatten)];
}
