import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueueService } from '../src/core/queue/queue.module';
import { adminTokenFingerprint } from '../src/core/security/request-actor';
import { ApiResponse } from './support/http-client';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow, waitForExecution } from './support/workflow-helpers';

/**
 * The audit log through the real HTTP API: each covered change writes exactly one row (found by
 * the X-Request-Id of the call that made it) with the right actor, tenant, target, client address
 * and changes; GET /api/audit filters and pages; the operator view; same-transaction and
 * append-only guarantees; retention.
 */
describe('audit log', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let ownerRegistered: ApiResponse;
  const ADMIN = 'test-admin-token-0123456789';
  const admin = { headers: { 'x-admin-token': ADMIN } };
  const db = () => t.app.get(DataSource);

  /** Every audit row written by the request that got this response. */
  const rowsOf = async (res: ApiResponse): Promise<any[]> => {
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    return db().query('SELECT * FROM audit_log WHERE request_id = $1 ORDER BY id', [requestId]);
  };
  /** The one row the request wrote, as GET /api/audit shows it to the owner. */
  const oneRow = async (res: ApiResponse, token = owner.token): Promise<any> => {
    const rows = await rowsOf(res);
    expect(rows).toHaveLength(1);
    const list = await t.http.get('/api/audit', { token, query: { action: rows[0].action, limit: 200 } });
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { id: string }) => i.id === String(rows[0].id));
    expect(item).toBeDefined();
    expect(item.requestId).toBe(res.headers.get('x-request-id'));
    expect(item.clientIp).toBe('127.0.0.1');
    return item;
  };

  beforeAll(async () => {
    t = await startTestApp({ DEV_MODE: 'true' });
    const email = uniqueEmail('audit-owner');
    const password = 'Sup3r-secret-passw0rd';
    ownerRegistered = await t.http.post('/api/auth/register', { email, password, tenantName: 'Audited' });
    expect(ownerRegistered.status).toBe(201);
    owner = {
      token: ownerRegistered.body.accessToken,
      userId: ownerRegistered.body.user.id,
      tenantId: ownerRegistered.body.tenant.id,
      email,
      password,
    };
  });
  afterAll(() => t?.close());

  describe('auth', () => {
    it('register: one tenant.register row by the new owner', async () => {
      const item = await oneRow(ownerRegistered);
      expect(item).toMatchObject({
        tenantId: owner.tenantId,
        actor: { type: 'user', id: owner.userId, email: owner.email },
        action: 'tenant.register',
        target: { type: 'tenant', id: owner.tenantId },
        changes: { before: {}, after: { name: 'Audited', ownerId: owner.userId, ownerEmail: owner.email } },
      });
      expect(JSON.stringify(item)).not.toContain(owner.password);
    });

    it('login: one auth.login row by the user signing in', async () => {
      const res = await t.http.post('/api/auth/login', { email: owner.email, password: owner.password });
      expect(res.status).toBe(200);
      expect(await oneRow(res)).toMatchObject({
        tenantId: owner.tenantId,
        actor: { type: 'user', id: owner.userId, email: owner.email },
        action: 'auth.login',
        target: { type: 'user', id: owner.userId },
        changes: null,
      });
    });

    it('failed login: anonymous with the email tried, the same 401 for a known and an unknown email, never the password', async () => {
      const wrong = await t.http.post('/api/auth/login', { email: owner.email, password: 'Wrong-passw0rd-xyz' });
      const unknownEmail = uniqueEmail('nobody');
      const unknown = await t.http.post('/api/auth/login', { email: unknownEmail, password: 'Wrong-passw0rd-xyz' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe(wrong.body.code);
      expect(unknown.body.message).toBe(wrong.body.message);

      expect(await oneRow(wrong)).toMatchObject({
        tenantId: owner.tenantId,
        actor: { type: 'anonymous', id: null, email: owner.email },
        action: 'auth.login_failed',
        target: { type: 'user', id: owner.userId },
      });
      const [row] = await rowsOf(unknown);
      expect(row).toMatchObject({ tenant_id: null, actor_type: 'anonymous', actor_email: unknownEmail, action: 'auth.login_failed' });
      const all = await db().query('SELECT changes FROM audit_log WHERE request_id = ANY($1)', [
        [wrong.headers.get('x-request-id'), unknown.headers.get('x-request-id')],
      ]);
      expect(JSON.stringify(all)).not.toContain('Wrong-passw0rd-xyz');
      // The operator sees the unknown email's attempt (no tenant).
      const op = await t.http.get('/api/admin/audit', { ...admin, query: { action: 'auth.login_failed', limit: 200 } });
      expect(op.body.items.some((i: any) => i.id === String(row.id) && i.tenantId === null)).toBe(true);
    });

    it('dev login: one auth.dev_login row by the dev user', async () => {
      const res = await t.http.post('/api/auth/dev-login');
      expect(res.status).toBe(200);
      const rows = await rowsOf(res);
      const login = rows.filter((r) => r.action === 'auth.dev_login');
      expect(login).toHaveLength(1);
      expect(login[0]).toMatchObject({
        tenant_id: res.body.tenant.id,
        actor_type: 'user',
        actor_id: res.body.user.id,
        target_id: res.body.user.id,
      });
      // On first use the dev tenant is registered too, in the same call: at most that one more row.
      expect(rows.filter((r) => r.action !== 'auth.dev_login').every((r) => r.action === 'tenant.register')).toBe(true);
    });
  });

  describe('members', () => {
    let memberToken: string;
    let memberId: string;

    it('add, role change and removal: one row each, by the owner, with the changed fields', async () => {
      const email = uniqueEmail('member');
      const added = await t.http.post(
        '/api/tenants/current/members',
        { email, password: 'Member-passw0rd-1', role: 'member' },
        { token: owner.token },
      );
      expect(added.status).toBe(201);
      memberId = added.body.id;
      expect(await oneRow(added)).toMatchObject({
        tenantId: owner.tenantId,
        actor: { type: 'user', id: owner.userId },
        action: 'member.add',
        target: { type: 'member', id: memberId },
        changes: { before: {}, after: { email, role: 'member' } },
      });
      expect(JSON.stringify(await rowsOf(added))).not.toContain('Member-passw0rd-1');
      memberToken = (await t.http.post('/api/auth/login', { email, password: 'Member-passw0rd-1' })).body.accessToken;

      const promoted = await t.http.put(`/api/tenants/current/members/${memberId}/role`, { role: 'admin' }, { token: owner.token });
      expect(promoted.status).toBe(200);
      expect(await oneRow(promoted)).toMatchObject({
        action: 'member.role_change',
        target: { type: 'member', id: memberId },
        changes: { before: { role: 'member' }, after: { role: 'admin' } },
      });
      // An admin may read the log too.
      expect((await t.http.get('/api/audit', { token: memberToken })).status).toBe(200);
      const demoted = await t.http.put(`/api/tenants/current/members/${memberId}/role`, { role: 'member' }, { token: owner.token });
      expect(demoted.status).toBe(200);
    });

    it('a member gets 403', async () => {
      const res = await t.http.get('/api/audit', { token: memberToken });
      expect(res.status).toBe(403);
    });

    it('a refused change (LAST_OWNER) writes nothing', async () => {
      const res = await t.http.put(`/api/tenants/current/members/${owner.userId}/role`, { role: 'member' }, { token: owner.token });
      expect(res.status).toBe(409);
      expect(await rowsOf(res)).toEqual([]);
    });

    it('removal', async () => {
      const removed = await t.http.delete(`/api/tenants/current/members/${memberId}`, { token: owner.token });
      expect(removed.status).toBe(204);
      expect(await oneRow(removed)).toMatchObject({
        action: 'member.remove',
        target: { type: 'member', id: memberId },
        changes: { before: { role: 'member' }, after: {} },
      });
    });
  });

  describe('credentials', () => {
    const SECRET_1 = `audit-secret-one-${randomUUID()}`;
    const SECRET_2 = `audit-secret-two-${randomUUID()}`;
    const body = (name: string, token = SECRET_1) => ({
      name,
      connectorKey: 'http',
      authKind: 'bearer',
      secrets: { token },
      allowedHosts: ['127.0.0.1'],
    });
    let id: string;

    it('create, update, test and delete: one row each; a secret only reads [changed]', async () => {
      const name = `audited ${randomUUID().slice(0, 8)}`;
      const created = await t.http.post('/api/credentials', body(name), { token: owner.token });
      expect(created.status).toBe(201);
      id = created.body.id;
      const c = await oneRow(created);
      expect(c).toMatchObject({
        tenantId: owner.tenantId,
        actor: { type: 'user', id: owner.userId },
        action: 'credential.create',
        target: { type: 'credential', id },
        changes: {
          before: {},
          after: { name, connectorKey: 'http', authKind: 'bearer', allowedHosts: ['127.0.0.1'], secrets: '[changed]' },
        },
      });

      const renamed = await t.http.put(`/api/credentials/${id}`, { name: `${name} 2` }, { token: owner.token });
      expect(renamed.status).toBe(200);
      expect((await oneRow(renamed)).changes).toEqual({ before: { name }, after: { name: `${name} 2` } });

      const rekeyed = await t.http.put(`/api/credentials/${id}`, { secrets: { token: SECRET_2 } }, { token: owner.token });
      expect(rekeyed.status).toBe(200);
      expect((await oneRow(rekeyed)).changes).toEqual({ before: { secrets: '[set]' }, after: { secrets: '[changed]' } });

      const tested = await t.http.post(`/api/credentials/${id}/test`, undefined, { token: owner.token });
      expect(tested.status).toBe(200);
      expect(await oneRow(tested)).toMatchObject({ action: 'credential.test', target: { type: 'credential', id } });

      const stored = JSON.stringify(await db().query('SELECT * FROM audit_log WHERE target_id = $1', [id]));
      expect(stored).not.toContain(SECRET_1);
      expect(stored).not.toContain(SECRET_2);
    });

    it('same transaction: a create that fails after its audit insert (a taken name) leaves no row', async () => {
      const name = `taken ${randomUUID().slice(0, 8)}`;
      expect((await t.http.post('/api/credentials', body(name), { token: owner.token })).status).toBe(201);
      const again = await t.http.post('/api/credentials', body(name), { token: owner.token });
      expect(again.status).toBe(409);
      expect(await rowsOf(again)).toEqual([]);
    });

    it('delete', async () => {
      const res = await t.http.delete(`/api/credentials/${id}`, { token: owner.token });
      expect(res.status).toBe(204);
      expect(await oneRow(res)).toMatchObject({ action: 'credential.delete', target: { type: 'credential', id }, changes: { after: {} } });
    });
  });

  it('retry: one execution.retry row naming the new run', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const run = await t.http.post(`/api/workflows/${w.id}/run`, { payload: { order: { id: 1 } } }, { token: owner.token });
    const first = await waitForExecution(t.http, owner.token, run.body.executionId);
    const res = await t.http.post(`/api/executions/${first.id}/retry`, undefined, { token: owner.token });
    expect(res.status).toBe(202);
    expect(await oneRow(res)).toMatchObject({
      action: 'execution.retry',
      target: { type: 'execution', id: first.id },
      changes: { before: {}, after: { executionId: res.body.executionId, workflowId: w.id } },
    });
  });

  describe('admin token', () => {
    it('a read is recorded as admin.read by the token fingerprint, with no tenant', async () => {
      const res = await t.http.get('/api/admin/system/health', admin);
      expect(res.status).toBe(200);
      const [row] = await rowsOf(res);
      expect(row).toMatchObject({
        tenant_id: null,
        actor_type: 'admin_token',
        actor_id: adminTokenFingerprint(ADMIN),
        action: 'admin.read',
        target_type: 'route',
        target_id: 'GET /api/admin/system/health',
        client_ip: '127.0.0.1',
      });
      expect(JSON.stringify(row)).not.toContain(ADMIN);
    });

    it('re-encryption is recorded once per call', async () => {
      const res = await t.http.post('/api/admin/credentials/reencrypt', undefined, admin);
      expect(res.status).toBe(200);
      const rows = await rowsOf(res);
      expect(rows.filter((r) => r.action === 'admin.credentials_reencrypt')).toHaveLength(1);
      expect(rows.every((r) => r.actor_type === 'admin_token')).toBe(true);
    });

    it('the operator view filters by tenant, and shows rows of no tenant without one', async () => {
      const one = await t.http.get('/api/admin/audit', { ...admin, query: { tenantId: owner.tenantId, limit: 200 } });
      expect(one.status).toBe(200);
      expect(one.body.items.length).toBeGreaterThan(5);
      expect(one.body.items.every((i: any) => i.tenantId === owner.tenantId)).toBe(true);
      const all = await t.http.get('/api/admin/audit', { ...admin, query: { action: 'admin.*', limit: 200 } });
      expect(all.body.items.some((i: any) => i.tenantId === null && i.actor.type === 'admin_token')).toBe(true);
      expect((await t.http.get('/api/admin/audit', { query: { limit: 1 } })).status).toBe(401);
      const bad = await t.http.get('/api/admin/audit', { ...admin, query: { tenantId: 'nope' } });
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: any) => d.field)).toContain('tenantId');
    });
  });

  describe('GET /api/audit', () => {
    it('filters by actor, exact action, action prefix, target and time range', async () => {
      const list = (query: Record<string, string | number>) =>
        t.http.get('/api/audit', { token: owner.token, query: { limit: 200, ...query } });
      const byActor = await list({ actorId: owner.userId });
      expect(byActor.body.items.length).toBeGreaterThan(3);
      expect(byActor.body.items.every((i: any) => i.actor.id === owner.userId)).toBe(true);

      const exact = await list({ action: 'member.add' });
      expect(exact.body.items.length).toBeGreaterThan(0);
      expect(exact.body.items.every((i: any) => i.action === 'member.add')).toBe(true);

      const prefix = await list({ action: 'member.*' });
      expect(new Set(prefix.body.items.map((i: any) => i.action))).toEqual(new Set(['member.add', 'member.role_change', 'member.remove']));

      const credential = (await list({ action: 'credential.create' })).body.items[0];
      const byTarget = await list({ targetType: 'credential', targetId: credential.target.id });
      expect(byTarget.body.items.length).toBeGreaterThan(0);
      expect(byTarget.body.items.every((i: any) => i.target.id === credential.target.id)).toBe(true);

      const everything = (await list({})).body.items;
      const future = await list({ from: new Date(Date.now() + 3600_000).toISOString() });
      expect(future.body.items).toEqual([]);
      const upToNow = await list({ from: '2020-01-01T00:00:00Z', to: new Date(Date.now() + 60_000).toISOString() });
      expect(upToNow.body.items.map((i: any) => i.id)).toEqual(everything.map((i: any) => i.id));
      const past = await list({ to: '2020-01-01T00:00:00Z' });
      expect(past.body.items).toEqual([]);
    });

    it('pages newest first with an opaque cursor, over more rows than one page', async () => {
      const all = (await t.http.get('/api/audit', { token: owner.token, query: { limit: 200 } })).body.items.map((i: any) => i.id);
      expect(all.length).toBeGreaterThan(6);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await t.http.get('/api/audit', { token: owner.token, query: { limit: 3, cursor } });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.items.map((i: any) => i.id));
        cursor = page.body.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 100);
      // Reading the log writes nothing to it: the pages are exactly the full list.
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 3));
      const ids = seen.map((x) => BigInt(x));
      expect(ids.every((id, i) => i === 0 || id < ids[i - 1])).toBe(true);
    });

    it.each([
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-02-30T00:00:00Z' }, 'to'],
      [{ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ cursor: 'not-a-cursor!' }, 'cursor'],
      [{ cursor: Buffer.from('abc').toString('base64url') }, 'cursor'],
      [{ action: 'Credential.Update' }, 'action'],
      [{ action: 'credential*' }, 'action'],
    ])('%p is a 400 naming %s', async (query, field) => {
      const res = await t.http.get('/api/audit', { token: owner.token, query });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: any) => d.field)).toContain(field);
    });

    it('another tenant sees none of these rows', async () => {
      const other = await registerTenant(t.http, 'Other');
      const res = await t.http.get('/api/audit', { token: other.token, query: { actorId: owner.userId } });
      expect(res.body.items).toEqual([]);
      const own = await t.http.get('/api/audit', { token: other.token });
      expect(own.body.items.map((i: any) => i.tenantId)).toEqual(own.body.items.map(() => other.tenantId));
    });
  });

  it('rows are never updated: UPDATE on audit_log raises', async () => {
    const [{ id }] = await db().query('SELECT id FROM audit_log WHERE tenant_id = $1 ORDER BY id LIMIT 1', [owner.tenantId]);
    await expect(db().query(`UPDATE audit_log SET action = 'tampered' WHERE id = $1`, [id])).rejects.toThrow(/never updated/);
    const [row] = await db().query('SELECT action FROM audit_log WHERE id = $1', [id]);
    expect(row.action).not.toBe('tampered');
  });

  it('retention: the prune-audit job deletes rows older than AUDIT_RETENTION_DAYS and keeps recent ones', async () => {
    expect(t.config.audit.retentionDays).toBe(365);
    const tenant = randomUUID();
    const insert = (daysAgo: number) =>
      db().query(
        `INSERT INTO audit_log (occurred_at, tenant_id, actor_type, action, target_type) VALUES (now() - make_interval(days => $1), $2, 'anonymous', 'test.retention', 'test') RETURNING id`,
        [daysAgo, tenant],
      );
    const [[old], [recent]] = [await insert(400), await insert(300)];
    await t.app.get(QueueService).add('maintenance', 'prune-audit', {});
    const exists = async (id: string) => (await db().query('SELECT 1 FROM audit_log WHERE id = $1', [id])).length > 0;
    await waitFor(async () => !(await exists(old.id)), 'the old audit row to be pruned');
    expect(await exists(recent.id)).toBe(true);
  });
});
