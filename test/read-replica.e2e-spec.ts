import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

/**
 * DATABASE_READ_URL: the log list and workflow stats read through a connection of their own (a
 * replica in production). Here it is the same database through a role that may only SELECT,
 * with its own application_name, so the test can see which connection ran what, and a write
 * through it would fail: the runs recorded meanwhile prove writes still go to the primary.
 */
describe('read replica for the logs (DATABASE_READ_URL)', () => {
  const role = `flowgate_reader_${randomBytes(4).toString('hex')}`;
  const appName = `fg-read-${randomBytes(3).toString('hex')}`;
  const primaryUrl = process.env.DATABASE_URL!;
  let admin: Client;
  let app: TestApp;

  beforeAll(async () => {
    admin = new Client({ connectionString: primaryUrl });
    await admin.connect();
    const dbName = new URL(primaryUrl).pathname.slice(1);
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT CONNECT ON DATABASE "${dbName}" TO ${role}`);
    await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    const readUrl = new URL(primaryUrl);
    readUrl.username = role;
    readUrl.password = '';
    readUrl.searchParams.set('application_name', appName);
    app = await startTestApp({ ROLE: 'all', DATABASE_READ_URL: readUrl.toString() });
  });

  afterAll(async () => {
    await app?.close();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
    await admin.query(`DROP OWNED BY ${role}`);
    await admin.query(`DROP ROLE ${role}`);
    await admin.end();
  });

  it('lists runs and stats through the reader; runs are still recorded through the primary', async () => {
    const owner = await registerTenant(app.http, 'Replica');
    const workflow = await createWorkflow(app.http, owner.token, coreWorkflow());
    const hook = await app.http.post(`/api/webhooks/${workflow.id}`, { order: { id: 1 } });
    expect(hook.status).toBe(202);
    const id = hook.body.executionId as string;
    // Recorded by the worker through the primary (the reader could not have written it).
    expect((await waitForExecution(app.http, owner.token, id)).status).toBe('succeeded');

    const log = await app.http.get('/api/logs', { token: owner.token, query: { workflowId: workflow.id } });
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { id: string }) => e.id)).toEqual([id]);
    expect(log.body.items[0].status).toBe('succeeded');

    // The list query ran on the reader's connection.
    const onReader = await admin.query<{ usename: string; query: string }>(
      'SELECT usename, query FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    expect(onReader.rows.length).toBeGreaterThan(0);
    expect(onReader.rows.every((r) => r.usename === role)).toBe(true);
    expect(onReader.rows.some((r) => /FROM executions WHERE tenant_id = \$1/.test(r.query))).toBe(true);

    const stats = await app.http.get(`/api/workflows/${workflow.id}/stats`, { token: owner.token });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ total: 1 });
    const afterStats = await admin.query<{ query: string }>('SELECT query FROM pg_stat_activity WHERE application_name = $1', [appName]);
    expect(afterStats.rows.some((r) => /percentile_cont/.test(r.query))).toBe(true);

    // The reader cannot write: a write through its role is refused.
    const reader = new Client({
      connectionString: new URL(`postgres://${role}@${new URL(primaryUrl).host}${new URL(primaryUrl).pathname}`).toString(),
    });
    await reader.connect();
    try {
      await expect(reader.query(`UPDATE executions SET attempts = attempts WHERE id = $1`, [id])).rejects.toThrow(/permission denied/);
    } finally {
      await reader.end();
    }

    // Readiness reports the read database.
    const ready = await app.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.dependencies).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, readDatabase: { status: 'up' } });
  });
});
