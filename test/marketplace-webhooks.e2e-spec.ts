import { DataSource } from 'typeorm';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant } from './support/test-app';

const ADMIN = { 'x-admin-token': 'test-admin-token-0123456789' };

/**
 * The duplicate window is system-wide state (the deliveries table), and one test ages it: this
 * file has a database of its own.
 */
describe('Nango webhooks (POST /api/nango/webhook)', () => {
  let db: PrivateDatabase;
  let m: MarketplaceEnv;
  let hook: string;
  let sql: DataSource;
  beforeAll(async () => {
    db = await createPrivateDatabase('webhooks');
    m = await startMarketplace({ DATABASE_URL: db.url });
    hook = `${m.t.url}/api/nango/webhook`;
    sql = m.t.app.get(DataSource);
  });
  afterAll(async () => {
    await m?.close();
    await db?.drop();
  });

  /** A connection made through a Flowgate connect session, but never called back. */
  async function pendingConnection(token: string, integration = 'quickbooks') {
    const url = await m.t.http.get('/api/auth/oauth-url', { token, query: { integration_id: integration } });
    return m.nango.completeConnect(url.body.sessionToken, {
      connectionConfig: { realmId: '77' },
      metadata: { business_name: 'Hooked Ltd' },
    });
  }

  const company = async (token: string, id: string) => (await m.t.http.get(`/api/companies/${id}`, { token })).body;
  const refreshFailures = async (id: string) => {
    const res = await m.t.http.get('/api/admin/tokens', { headers: ADMIN, query: { limit: 100 } });
    return res.body.items.find((t: { companyId: string }) => t.companyId === id).refreshFailures as number;
  };
  /** As if `minutes` had passed since every delivery so far (past the duplicate window). */
  const ageDeliveries = (minutes: number) =>
    sql.query(`UPDATE nango_webhook_deliveries SET received_at = received_at - make_interval(mins => $1)`, [minutes]);

  it('upserts the company on auth creation, for the tenant its tags name, with the facts Nango has', async () => {
    const owner = await registerTenant(m.t.http);
    const conn = await pendingConnection(owner.token);
    const body = m.nango.authWebhook(conn, 'creation');
    expect(body.tags).toMatchObject({ organization_id: owner.tenantId, end_user_id: owner.userId });
    const res = await m.nango.sendWebhook(hook, body);
    expect(res).toEqual({ status: 200, body: { status: 'company_upserted' } });
    const list = await m.t.http.get('/api/companies', { token: owner.token });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ connectionId: conn.connectionId, businessName: 'Hooked Ltd', status: 'active' });
    expect(list.body.items[0].tokenExpiresAt).not.toBeNull();
  });

  it('answers 401 for a wrong or missing signature and stores nothing', async () => {
    const owner = await registerTenant(m.t.http);
    const conn = await pendingConnection(owner.token);
    const body = m.nango.authWebhook(conn, 'creation');
    const wrong = await m.nango.sendWebhook(hook, body, { signature: 'a'.repeat(64) });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'NANGO_SIGNATURE_INVALID' });
    const missing = await m.nango.sendWebhook(hook, body, { signature: null });
    expect(missing.status).toBe(401);
    // Signed over other bytes (the same JSON re-serialised with spaces): still wrong.
    const otherBytes = await m.nango.sendWebhook(hook, JSON.stringify(body, null, 2), {
      signature: m.nango.signWebhook(JSON.stringify(body)),
    });
    expect(otherBytes.status).toBe(401);
    expect((await m.t.http.get('/api/companies', { token: owner.token })).body.total).toBe(0);
  });

  it('verifies over the raw bytes: a body with spacing and unicode signed as sent is accepted', async () => {
    const owner = await registerTenant(m.t.http);
    const conn = await pendingConnection(owner.token);
    const raw = JSON.stringify({ ...m.nango.authWebhook(conn, 'creation'), note: 'café ✓' }, null, 3);
    const res = await m.nango.sendWebhook(hook, raw);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'company_upserted' });
  });

  it('a true duplicate delivery (Nango retrying) is not applied twice', async () => {
    const owner = await registerTenant(m.t.http);
    const conn = await pendingConnection(owner.token);
    // Two deliveries of one creation at once (both webhook URLs, or a retry racing the first): one company.
    const creation = m.nango.authWebhook(conn, 'creation');
    const both = await Promise.all([m.nango.sendWebhook(hook, creation), m.nango.sendWebhook(hook, creation)]);
    for (const r of both) expect(r.status).toBe(200);
    const companies = await m.t.http.get('/api/companies', { token: owner.token });
    expect(companies.body.total).toBe(1);
    const id = companies.body.items[0].id;

    // A failed refresh, then Nango's retry of that very delivery: answered, counted once.
    const failed = m.nango.authWebhook(conn, 'refresh', false);
    expect((await m.nango.sendWebhook(hook, failed)).body).toEqual({ status: 'needs_reauth' });
    const retries = await Promise.all([m.nango.sendWebhook(hook, failed), m.nango.sendWebhook(hook, failed)]);
    expect(retries.map((r) => r.body)).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
    expect(await refreshFailures(id)).toBe(1);
    // Even a copy arriving after the window changes nothing: the effect itself is idempotent.
    await ageDeliveries(11);
    expect((await m.nango.sendWebhook(hook, failed)).body).toEqual({ status: 'needs_reauth' });
    expect(await refreshFailures(id)).toBe(1);
    expect(await company(owner.token, id)).toMatchObject({ status: 'needs_reauth', lastRefreshStatus: 'failed' });
  });

  it('a legitimate repeat with the same bytes is processed: re-authorized after a failed refresh, or again later', async () => {
    const owner = await registerTenant(m.t.http);
    const { company: c, connection } = await connectCompany(m, owner, 'hubspot');
    const override = m.nango.authWebhook(connection, 'override');
    expect((await m.nango.sendWebhook(hook, override)).body).toEqual({ status: 'company_upserted' });

    const failed = await m.nango.sendWebhook(hook, m.nango.authWebhook(connection, 'refresh', false));
    expect(failed.body).toEqual({ status: 'needs_reauth' });
    const flagged = await company(owner.token, c.id);
    expect(flagged).toMatchObject({ status: 'needs_reauth', lastRefreshStatus: 'failed' });
    expect(flagged.lastRefreshError).toContain('The provider rejected the refresh token');

    // The customer re-authorizes: Nango sends byte-for-byte the override it sent before.
    const again = await m.nango.sendWebhook(hook, override);
    expect(again.body).toEqual({ status: 'company_upserted' });
    expect(await company(owner.token, c.id)).toMatchObject({ status: 'active', lastRefreshError: null });

    // And once more, well after Nango's retries could still arrive: applied again (the token
    // expiry Nango has now is picked up).
    connection.expiresAt = new Date(Date.now() + 7200_000);
    await ageDeliveries(11);
    expect((await m.nango.sendWebhook(hook, override)).body).toEqual({ status: 'company_upserted' });
    expect(Date.parse((await company(owner.token, c.id)).tokenExpiresAt)).toBe(connection.expiresAt.getTime());
  });

  it('deletion marks the company revoked, idempotently, for its own tenant only', async () => {
    const a = await registerTenant(m.t.http);
    const b = await registerTenant(m.t.http);
    const { company: ca, connection: connA } = await connectCompany(m, a, 'quickbooks', { connectionConfig: { realmId: '1' } });
    const { company: cb } = await connectCompany(m, b, 'quickbooks', { connectionConfig: { realmId: '2' } });

    // An event for A's connection that names tenant B touches nothing.
    const foreign = await m.nango.sendWebhook(hook, { ...m.nango.authWebhook(connA, 'deletion'), tags: { organization_id: b.tenantId } });
    expect(foreign.body).toEqual({ status: 'ignored', reason: 'connection belongs to another tenant' });
    expect((await company(a.token, ca.id)).status).toBe('active');

    // The customer removes the connection in Nango (dashboard or API).
    m.nango.connections.delete(`quickbooks\u0000${connA.connectionId}`);
    const deletion = m.nango.authWebhook(connA, 'deletion');
    expect((await m.nango.sendWebhook(hook, deletion)).body).toEqual({ status: 'company_revoked' });
    expect(await company(a.token, ca.id)).toMatchObject({ status: 'revoked' });
    // Its synced data stays readable; a sync needs a new connection.
    expect((await m.t.http.get(`/api/companies/${ca.id}/contacts`, { token: a.token })).status).toBe(200);
    expect((await m.t.http.post(`/api/companies/${ca.id}/sync`, undefined, { token: a.token })).body.code).toBe('COMPANY_NOT_ACTIVE');

    // Delivered again (a retry) and again after the window: the same outcome, nothing else moves.
    expect((await m.nango.sendWebhook(hook, deletion)).body).toEqual({ status: 'duplicate' });
    await ageDeliveries(11);
    expect((await m.nango.sendWebhook(hook, deletion)).body).toEqual({ status: 'company_revoked' });
    // A creation delivered late (after the deletion) does not bring the connection back.
    const late = await m.nango.sendWebhook(hook, m.nango.authWebhook(connA, 'creation'));
    expect(late.body).toEqual({ status: 'ignored', reason: 'Nango no longer has the connection' });
    expect((await company(a.token, ca.id)).status).toBe('revoked');

    // Tenant B's company is untouched, and invisible to A.
    expect(await company(b.token, cb.id)).toMatchObject({ status: 'active' });
    expect((await m.t.http.get(`/api/companies/${cb.id}`, { token: a.token })).status).toBe(404);
  });

  it('a deletion after the company was deleted through Flowgate is acknowledged and ignored', async () => {
    const owner = await registerTenant(m.t.http);
    const { company: c, connection } = await connectCompany(m, owner, 'hubspot');
    expect((await m.t.http.delete(`/api/companies/${c.id}`, { token: owner.token })).status).toBe(204);
    const res = await m.nango.sendWebhook(hook, m.nango.authWebhook(connection, 'deletion'));
    expect(res).toEqual({ status: 200, body: { status: 'ignored', reason: 'unknown connection' } });
  });

  it('acknowledges unknown types and foreign connections with 200 and ignores them', async () => {
    const sync = await m.nango.sendWebhook(hook, {
      type: 'sync',
      connectionId: 'x',
      providerConfigKey: 'hubspot',
      syncName: 'contacts',
      model: 'Contact',
      success: true,
    });
    expect(sync).toMatchObject({ status: 200, body: { status: 'ignored' } });
    const forward = await m.nango.sendWebhook(hook, { type: 'forward', providerConfigKey: 'hubspot', payload: { a: 1 } });
    expect(forward).toMatchObject({ status: 200, body: { status: 'ignored' } });
    const foreign = m.nango.addConnection({ connectionId: `outside-${Date.now()}`, providerConfigKey: 'hubspot' });
    const res = await m.nango.sendWebhook(hook, m.nango.authWebhook(foreign, 'creation'));
    expect(res).toMatchObject({ status: 200, body: { status: 'ignored', reason: 'connection was not made through Flowgate' } });
    // A connection naming a tenant that does not exist (deleted meanwhile): acknowledged, nothing stored.
    const orphan = m.nango.addConnection({
      connectionId: `orphan-${Date.now()}`,
      providerConfigKey: 'hubspot',
      tags: { organization_id: '00000000-0000-4000-8000-00000000dead' },
    });
    const gone = await m.nango.sendWebhook(hook, m.nango.authWebhook(orphan, 'creation'));
    expect(gone).toMatchObject({ status: 200, body: { status: 'ignored', reason: 'unknown tenant' } });
  });

  it('answers 400 naming the fields of a malformed auth event, and for a non-JSON body', async () => {
    const bad = await m.nango.sendWebhook(hook, { type: 'auth', operation: 'creation', connectionId: 42, tags: 'x' });
    expect(bad.status).toBe(400);
    const fields = (bad.body as { details: Array<{ field: string }> }).details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['connectionId', 'providerConfigKey', 'tags']));
    const notJson = await m.nango.sendWebhook(hook, '{"type": "auth",');
    expect(notJson.status).toBe(400);
  });
});
