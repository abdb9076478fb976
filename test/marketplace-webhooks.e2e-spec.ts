import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { registerTenant } from './support/test-app';

describe('Nango webhooks (POST /api/nango/webhook)', () => {
  let m: MarketplaceEnv;
  let hook: string;
  beforeAll(async () => {
    m = await startMarketplace();
    hook = `${m.t.url}/api/nango/webhook`;
  });
  afterAll(() => m.close());

  /** A connection made through a Flowgate connect session, but never called back. */
  async function pendingConnection(token: string, integration = 'quickbooks') {
    const url = await m.t.http.get('/api/auth/oauth-url', { token, query: { integration_id: integration } });
    return m.nango.completeConnect(url.body.sessionToken, { connectionConfig: { realmId: '77' }, metadata: { business_name: 'Hooked Ltd' } });
  }

  it('upserts the company on auth creation, with the facts Nango has', async () => {
    const owner = await registerTenant(m.t.http);
    const conn = await pendingConnection(owner.token);
    const res = await m.nango.sendWebhook(hook, m.nango.authWebhook(conn, 'creation'));
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
    const otherBytes = await m.nango.sendWebhook(hook, JSON.stringify(body, null, 2), { signature: m.nango.signWebhook(JSON.stringify(body)) });
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

  it('is idempotent under Nango retries: a replayed delivery answers 200 duplicate and changes nothing', async () => {
    const owner = await registerTenant(m.t.http);
    const conn = await pendingConnection(owner.token);
    const raw = JSON.stringify(m.nango.authWebhook(conn, 'creation'));
    const first = await m.nango.sendWebhook(hook, raw);
    const before = (await m.t.http.get('/api/companies', { token: owner.token })).body.items[0];
    const replays = await Promise.all([m.nango.sendWebhook(hook, raw), m.nango.sendWebhook(hook, raw)]);
    expect(first.body).toMatchObject({ status: 'company_upserted' });
    for (const r of replays) expect(r).toMatchObject({ status: 200 });
    expect(replays.map((r) => (r.body as { status: string }).status)).toContain('duplicate');
    const after = await m.t.http.get('/api/companies', { token: owner.token });
    expect(after.body.total).toBe(1);
    expect(after.body.items[0].id).toBe(before.id);
  });

  it('marks the company needs_reauth on a failed refresh; a new auth override makes it active again', async () => {
    const owner = await registerTenant(m.t.http);
    const { company, connection } = await connectCompany(m, owner, 'hubspot');
    const failed = await m.nango.sendWebhook(hook, m.nango.authWebhook(connection, 'refresh', false));
    expect(failed.body).toEqual({ status: 'needs_reauth' });
    const got = await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token });
    expect(got.body).toMatchObject({ status: 'needs_reauth', lastRefreshStatus: 'failed' });
    expect(got.body.lastRefreshError).toContain('The provider rejected the refresh token');

    const override = await m.nango.sendWebhook(hook, { ...m.nango.authWebhook(connection, 'override'), at: Date.now() });
    expect(override.body).toEqual({ status: 'company_upserted' });
    const again = await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token });
    expect(again.body).toMatchObject({ status: 'active', lastRefreshError: null });
  });

  it('acknowledges unknown types and foreign connections with 200 and ignores them', async () => {
    const sync = await m.nango.sendWebhook(hook, { type: 'sync', connectionId: 'x', providerConfigKey: 'hubspot', syncName: 'contacts', model: 'Contact', success: true });
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
      endUser: { id: 'u', email: null, display_name: null, organization: { id: '00000000-0000-4000-8000-00000000dead', display_name: null }, tags: null },
    });
    const gone = await m.nango.sendWebhook(hook, m.nango.authWebhook(orphan, 'creation'));
    expect(gone).toMatchObject({ status: 200, body: { status: 'ignored', reason: 'unknown tenant' } });
  });

  it('answers 400 naming the fields of a malformed auth event, and for a non-JSON body', async () => {
    const bad = await m.nango.sendWebhook(hook, { type: 'auth', operation: 'creation', connectionId: 42 });
    expect(bad.status).toBe(400);
    const fields = (bad.body as { details: Array<{ field: string }> }).details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['connectionId', 'providerConfigKey']));
    const notJson = await m.nango.sendWebhook(hook, '{"type": "auth",');
    expect(notJson.status).toBe(400);
  });
});
