import { DataSource } from 'typeorm';
import { QueueService } from '../src/core/queue/queue.module';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

/**
 * Workflow versions through the real API: every save keeps its definition, versions can be
 * listed, read, compared and rolled back to (as a new version, trigger re-synced, audited), and
 * an execution links to the version it ran. Audit rows are read from the audit_log table.
 */
describe('workflow versions, diff, rollback and workflow audit events (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let db: PrivateDatabase;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let other: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    // Schedule reconciliation reads every tenant's scheduled workflows: keep other spec files' out.
    db = await createPrivateDatabase('versions');
    t = await startTestApp({ DATABASE_URL: db.url });
    owner = await registerTenant(t.http, 'Versions');
    other = await registerTenant(t.http, 'Other');
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const get = (path: string, token = owner.token, query?: Record<string, string | number>) => t.http.get(path, { token, query });
  const put = (path: string, body: unknown, token = owner.token) => t.http.put(path, body, { token });
  const post = (path: string, body: unknown, token = owner.token) => t.http.post(path, body, { token });
  const sql = <T = any>(query: string, params: unknown[] = []): Promise<T[]> => t.app.get(DataSource).query(query, params);
  const auditOf = (id: string) =>
    sql<{ action: string; actor_type: string; actor_id: string; tenant_id: string; request_id: string | null; changes: any }>(
      `SELECT action, actor_type, actor_id, tenant_id, request_id, changes FROM audit_log WHERE target_type = 'workflow' AND target_id = $1 ORDER BY id`,
      [id],
    );
  const schedulerOf = async (id: string) =>
    (await t.app.get(QueueService).queue('executions').getJobSchedulers(0, -1)).find((s) => s.key === id);

  it('keeps every saved definition: create is v1, each edit a new version; toggling is not a version', async () => {
    const v1 = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Orders v1', description: 'first' }));
    const id = v1.id;
    const v2 = await put(`/api/workflows/${id}`, { name: 'Orders v2', settings: { retries: 1 } });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);
    const toggled = await put(`/api/workflows/${id}/toggle`, { active: false });
    expect(toggled.body).toMatchObject({ active: false, version: 2 });

    const list = await get(`/api/workflows/${id}/versions`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, page: 1, limit: 20 });
    expect(list.body.items).toEqual([
      { version: 2, createdAt: expect.any(String), createdBy: owner.userId, name: 'Orders v2', current: true },
      { version: 1, createdAt: expect.any(String), createdBy: owner.userId, name: 'Orders v1', current: false },
    ]);
    const paged = await get(`/api/workflows/${id}/versions`, owner.token, { page: 2, limit: 1 });
    expect(paged.body).toMatchObject({ total: 2, page: 2, limit: 1, items: [{ version: 1 }] });

    // The previous definition is kept in full.
    const old = await get(`/api/workflows/${id}/versions/1`);
    expect(old.status).toBe(200);
    expect(old.body).toEqual({
      workflowId: id,
      version: 1,
      createdAt: expect.any(String),
      createdBy: owner.userId,
      current: false,
      name: 'Orders v1',
      description: 'first',
      active: true,
      trigger: v1.trigger,
      steps: v1.steps,
      settings: v1.settings,
      errorWorkflowId: null,
    });
    expect((await get(`/api/workflows/${id}/versions/2`)).body).toMatchObject({
      name: 'Orders v2',
      current: true,
      settings: { ...v1.settings, retries: 1 },
    });

    expect((await get(`/api/workflows/${id}/versions/3`)).status).toBe(404);
    const bad = await get(`/api/workflows/${id}/versions/abc`);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['version']);
  });

  it('diffs two versions by step name, with JSON pointers', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Diff A' }));
    const [shape, check] = w.steps;
    const intro = { name: 'intro', type: 'transform', params: { hello: 'world' } };
    const shape2 = { ...shape, params: { ...shape.params, greeting: 'Hi {{trigger.user.name}}' } };
    const edited = await put(`/api/workflows/${w.id}`, { name: 'Diff B', steps: [intro, shape2, check], settings: { retries: 1 } });
    expect(edited.status).toBe(200);

    const diff = await get(`/api/workflows/${w.id}/versions/2/diff`);
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      workflowId: w.id,
      from: 1,
      to: 2,
      changes: [
        { path: '/name', op: 'changed', from: 'Diff A', to: 'Diff B' },
        { path: '/steps/0', op: 'added', step: 'intro', to: intro },
        { path: '/steps/1/params/greeting', op: 'changed', step: 'shape', from: shape.params.greeting, to: 'Hi {{trigger.user.name}}' },
        { path: '/settings/retries', op: 'changed', from: 0, to: 1 },
      ],
    });
    // The other way round: the removed step is named where it was (index 0 of version 2).
    const back = await get(`/api/workflows/${w.id}/versions/1/diff`, owner.token, { against: 2 });
    expect(back.body).toEqual({
      workflowId: w.id,
      from: 2,
      to: 1,
      changes: [
        { path: '/name', op: 'changed', from: 'Diff B', to: 'Diff A' },
        { path: '/steps/0', op: 'removed', step: 'intro', from: intro },
        { path: '/steps/0/params/greeting', op: 'changed', step: 'shape', from: 'Hi {{trigger.user.name}}', to: shape.params.greeting },
        { path: '/settings/retries', op: 'changed', from: 1, to: 0 },
      ],
    });
    // Reordering is one `moved`, not every step changed.
    expect((await put(`/api/workflows/${w.id}`, { steps: [shape2, intro, check] })).status).toBe(200);
    expect((await get(`/api/workflows/${w.id}/versions/3/diff`)).body.changes).toEqual([
      { path: '/steps/1', op: 'moved', step: 'intro', from: 0, to: 1 },
    ]);
    // Version 1 against nothing: everything is added.
    const first = await get(`/api/workflows/${w.id}/versions/1/diff`);
    expect(first.body.from).toBeNull();
    expect(first.body.changes.map((c: { op: string }) => c.op)).toEqual(expect.arrayContaining(['added']));
    expect(new Set(first.body.changes.map((c: { op: string }) => c.op))).toEqual(new Set(['added']));
    expect(first.body.changes.map((c: { path: string }) => c.path)).toEqual(expect.arrayContaining(['/name', '/steps/0', '/steps/1']));
    // The same definition: no changes.
    expect((await get(`/api/workflows/${w.id}/versions/2/diff`, owner.token, { against: 2 })).body.changes).toEqual([]);
    expect((await get(`/api/workflows/${w.id}/versions/2/diff`, owner.token, { against: 9 })).status).toBe(404);
    const bad = await get(`/api/workflows/${w.id}/versions/2/diff`, owner.token, { against: 'x' });
    expect(bad.status).toBe(400);
    expect(new Set(bad.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['against']));
  });

  it('rolls back as a new version, checks expectedVersion, keeps active as it is', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Roll v1' }));
    await put(`/api/workflows/${w.id}`, { name: 'Roll v2', steps: [w.steps[0]] });
    await put(`/api/workflows/${w.id}/toggle`, { active: false });

    const conflict = await post(`/api/workflows/${w.id}/rollback`, { version: 1, expectedVersion: 1 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('VERSION_CONFLICT');
    expect((await post(`/api/workflows/${w.id}/rollback`, { version: 7 })).status).toBe(404);
    const invalid = await post(`/api/workflows/${w.id}/rollback`, { version: 'one' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.map((d: { field: string }) => d.field)).toContain('version');

    const rolled = await post(`/api/workflows/${w.id}/rollback`, { version: 1, expectedVersion: 2 });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ version: 3, name: 'Roll v1', steps: w.steps, active: false });
    expect((await get(`/api/workflows/${w.id}`)).body).toMatchObject({ version: 3, name: 'Roll v1', steps: w.steps });
    const list = await get(`/api/workflows/${w.id}/versions`);
    expect(list.body.items.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect((await get(`/api/workflows/${w.id}/versions/3/diff`, owner.token, { against: 1 })).body.changes).toEqual([
      // the definition is version 1's; only `active` (not compared) differs
    ]);
  });

  it('validates the rolled-back definition again: a credential deleted since is a 400 naming the field, nothing saved', async () => {
    const cred = await post('/api/credentials', {
      name: `Weather ${Date.now()}`,
      connectorKey: 'openweather',
      authKind: 'api_key',
      secrets: { apiKey: 'k-123' },
    });
    expect(cred.status).toBe(201);
    const weather = {
      name: 'weather',
      connector: 'openweather',
      action: 'current_weather',
      params: { city: 'London' },
      credentialId: cred.body.id,
    };
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ steps: [weather] }));
    await put(`/api/workflows/${w.id}`, { steps: coreWorkflow().steps });
    expect((await t.http.delete(`/api/credentials/${cred.body.id}`, { token: owner.token })).status).toBe(204);

    const res = await post(`/api/workflows/${w.id}/rollback`, { version: 1 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['steps[0].credentialId']);
    expect((await get(`/api/workflows/${w.id}`)).body.version).toBe(2);
    expect((await get(`/api/workflows/${w.id}/versions`)).body.total).toBe(2);
    expect((await auditOf(w.id)).map((r) => r.action)).toEqual(['workflow.create', 'workflow.update']);
  });

  it('re-syncs the trigger on rollback: a schedule takes its old interval at once', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ trigger: { type: 'schedule', intervalSeconds: 3600 } }));
    expect(await schedulerOf(w.id)).toMatchObject({ key: w.id, every: 3_600_000 });
    await put(`/api/workflows/${w.id}`, { trigger: { type: 'schedule', intervalSeconds: 600 } });
    expect(await schedulerOf(w.id)).toMatchObject({ every: 600_000 });
    await put(`/api/workflows/${w.id}`, { trigger: { type: 'webhook' } });
    expect(await schedulerOf(w.id)).toBeUndefined();

    expect((await post(`/api/workflows/${w.id}/rollback`, { version: 2 })).status).toBe(200);
    expect(await schedulerOf(w.id)).toMatchObject({ every: 600_000 });
    expect((await post(`/api/workflows/${w.id}/rollback`, { version: 1 })).body).toMatchObject({
      version: 5,
      trigger: { type: 'schedule', intervalSeconds: 3600 },
    });
    expect(await schedulerOf(w.id)).toMatchObject({ every: 3_600_000 });
    expect((await t.http.delete(`/api/workflows/${w.id}`, { token: owner.token })).status).toBe(204);
    expect(await schedulerOf(w.id)).toBeUndefined();
  });

  it('restores the error workflow of a version, or none when it was deleted since', async () => {
    const handler = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'On failure' }));
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    // The API to set it is another piece's; the column is set directly, then saved as a version.
    await sql(`UPDATE workflows SET error_workflow_id = $1 WHERE id = $2`, [handler.id, w.id]);
    await put(`/api/workflows/${w.id}`, { name: 'with handler' }); // v2
    await sql(`UPDATE workflows SET error_workflow_id = NULL WHERE id = $1`, [w.id]);
    await put(`/api/workflows/${w.id}`, { name: 'without handler' }); // v3
    expect((await get(`/api/workflows/${w.id}/versions/2`)).body.errorWorkflowId).toBe(handler.id);
    expect((await get(`/api/workflows/${w.id}/versions/3`)).body.errorWorkflowId).toBeNull();
    expect((await get(`/api/workflows/${w.id}/versions/3/diff`)).body.changes).toEqual([
      { path: '/name', op: 'changed', from: 'with handler', to: 'without handler' },
      { path: '/errorWorkflowId', op: 'changed', from: handler.id, to: null },
    ]);

    expect((await post(`/api/workflows/${w.id}/rollback`, { version: 2 })).status).toBe(200); // v4
    expect(await sql(`SELECT error_workflow_id FROM workflows WHERE id = $1`, [w.id])).toEqual([{ error_workflow_id: handler.id }]);
    expect((await get(`/api/workflows/${w.id}/versions/4`)).body.errorWorkflowId).toBe(handler.id);

    expect((await t.http.delete(`/api/workflows/${handler.id}`, { token: owner.token })).status).toBe(204);
    expect((await post(`/api/workflows/${w.id}/rollback`, { version: 2 })).status).toBe(200); // v5
    expect(await sql(`SELECT error_workflow_id FROM workflows WHERE id = $1`, [w.id])).toEqual([{ error_workflow_id: null }]);
    expect((await get(`/api/workflows/${w.id}/versions/5`)).body).toMatchObject({ name: 'with handler', errorWorkflowId: null });
  });

  it('links each execution to the version it ran, and that link answers the definition that ran', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Run v1' }));
    const first = await post(`/api/workflows/${w.id}/run`, { payload: { order: { id: 1 } } });
    expect(first.status).toBe(202);
    const e1 = await waitForExecution(t.http, owner.token, first.body.executionId);
    const shape2 = { ...w.steps[0], params: { greeting: 'v2 says hi', orderId: '{{trigger.order.id}}' } };
    await put(`/api/workflows/${w.id}`, { name: 'Run v2', steps: [shape2, w.steps[1]] });
    const second = await post(`/api/workflows/${w.id}/run`, { payload: { order: { id: 2 } } });
    const e2 = await waitForExecution(t.http, owner.token, second.body.executionId);

    expect([e1.status, e2.status]).toEqual(['succeeded', 'succeeded']);
    expect(e1.workflowVersionUrl).toBe(`/api/workflows/${w.id}/versions/1`);
    expect(e2.workflowVersionUrl).toBe(`/api/workflows/${w.id}/versions/2`);
    const ran1 = await get(e1.workflowVersionUrl);
    const ran2 = await get(e2.workflowVersionUrl);
    expect([ran1.status, ran2.status]).toEqual([200, 200]);
    expect(ran1.body).toMatchObject({ version: 1, name: 'Run v1', steps: w.steps });
    expect(ran2.body).toMatchObject({ version: 2, name: 'Run v2', steps: [shape2, w.steps[1]] });
    // The steps each run recorded are those of its version.
    expect(e1.steps[0].output.greeting).toBe('Hello stranger');
    expect(e2.steps[0].output.greeting).toBe('v2 says hi');

    // The workflow gone, the execution stays readable and links nowhere.
    expect((await t.http.delete(`/api/workflows/${w.id}`, { token: owner.token })).status).toBe(204);
    expect((await get(`/api/executions/${e1.id}`)).body).toMatchObject({ workflowId: null, workflowVersionUrl: null });
  });

  it("answers 404 for another tenant's workflow on every version endpoint and changes nothing", async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Mine' }));
    await put(`/api/workflows/${w.id}`, { name: 'Mine 2' });
    const answers = [
      await get(`/api/workflows/${w.id}/versions`, other.token),
      await get(`/api/workflows/${w.id}/versions/1`, other.token),
      await get(`/api/workflows/${w.id}/versions/2/diff`, other.token, { against: 1 }),
      await post(`/api/workflows/${w.id}/rollback`, { version: 1 }, other.token),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect((await get(`/api/workflows/${w.id}`)).body).toMatchObject({ name: 'Mine 2', version: 2 });
    expect((await auditOf(w.id)).map((r) => r.action)).toEqual(['workflow.create', 'workflow.update']);
  });

  it('audits every workflow action in the transaction of the change, never the webhook secret', async () => {
    const created = await post('/api/workflows', coreWorkflow({ name: 'Audited', generateWebhookSecret: true }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const secrets = [created.body.webhookSecret];
    await put(`/api/workflows/${id}`, { name: 'Audited 2' });
    await put(`/api/workflows/${id}/toggle`, { active: false });
    const rotated = await post(`/api/workflows/${id}/webhook-secret`, {});
    expect(rotated.status).toBe(201);
    secrets.push(rotated.body.webhookSecret);
    expect((await t.http.delete(`/api/workflows/${id}/webhook-secret`, { token: owner.token })).status).toBe(204);
    expect((await post(`/api/workflows/${id}/rollback`, { version: 1 })).status).toBe(200);
    expect((await t.http.delete(`/api/workflows/${id}`, { token: owner.token })).status).toBe(204);

    const rows = await auditOf(id);
    expect(rows.map((r) => r.action)).toEqual([
      'workflow.create',
      'workflow.update',
      'workflow.toggle',
      'workflow.webhook_secret_rotate',
      'workflow.webhook_secret_remove',
      'workflow.rollback',
      'workflow.delete',
    ]);
    for (const r of rows) {
      expect({ actor: r.actor_type, id: r.actor_id, tenant: r.tenant_id }).toEqual({
        actor: 'user',
        id: owner.userId,
        tenant: owner.tenantId,
      });
      expect(r.request_id).toEqual(expect.any(String));
    }
    const [create, update, toggle, rotate, remove, rollback, del] = rows.map((r) => r.changes);
    expect(create.before).toEqual({});
    expect(create.after).toMatchObject({ name: 'Audited', active: true, webhookSecret: '[changed]' });
    expect(update).toEqual({ before: { name: 'Audited', version: 1 }, after: { name: 'Audited 2', version: 2 } });
    expect(toggle).toEqual({ before: { active: true }, after: { active: false } });
    expect(rotate).toEqual({ before: { webhookSecret: '[set]' }, after: { webhookSecret: '[changed]' } });
    expect(remove).toEqual({ before: { webhookSecret: '[set]' }, after: {} });
    expect(rollback).toEqual({ before: { name: 'Audited 2', version: 2 }, after: { name: 'Audited', version: 3, restoredVersion: 1 } });
    expect(del.before).toMatchObject({ name: 'Audited', version: 3, active: false });
    const text = JSON.stringify(rows);
    for (const s of secrets) expect(text).not.toContain(s);
    const sealed = await sql(`SELECT count(*)::int AS n FROM audit_log WHERE changes::text LIKE '%whsec_%'`);
    expect(sealed).toEqual([{ n: 0 }]);
  });

  it('records an import as workflow.import (not workflow.create), with its version 1', async () => {
    const source = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'To export' }));
    const doc = await get(`/api/workflows/${source.id}/export`);
    expect(doc.status).toBe(200);
    const imported = await post('/api/workflows/import', { ...doc.body, name: 'Imported' });
    expect(imported.status).toBe(201);
    expect((await auditOf(imported.body.id)).map((r) => r.action)).toEqual(['workflow.import']);
    expect((await get(`/api/workflows/${imported.body.id}/versions`)).body.items).toEqual([
      { version: 1, createdAt: expect.any(String), createdBy: owner.userId, name: 'Imported', current: true },
    ]);
  });
});
