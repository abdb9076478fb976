import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { registerTenant } from './support/test-app';

describe('marketplace OAuth through Nango (real @nangohq/node client against the fake)', () => {
  let m: MarketplaceEnv;
  beforeAll(async () => {
    m = await startMarketplace();
  });
  afterAll(() => m.close());

  it('runs the full flow: oauth-url → Connect UI → callback creates the company', async () => {
    const owner = await registerTenant(m.t.http);
    const url = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'quickbooks', connection_id: 'acme-books' } });
    expect(url.status).toBe(200);
    expect(url.body).toMatchObject({ integrationId: 'quickbooks', connectionId: 'acme-books' });
    expect(url.body.connectLink).toContain(url.body.sessionToken);
    expect(Date.parse(url.body.expiresAt)).toBeGreaterThan(Date.now());
    // The session Flowgate created names the tenant (so the connection does too).
    const session = m.nango.sessions.get(url.body.sessionToken)!;
    expect(session.organization?.id).toBe(owner.tenantId);
    expect(session.allowedIntegrations).toEqual(['quickbooks']);

    m.nango.completeConnect(url.body.sessionToken, { connectionId: 'acme-books', connectionConfig: { realmId: '9130' }, metadata: { business_name: 'Acme Books LLC' } });
    const cb = await m.t.http.get('/api/auth/callback', { query: { state: url.body.state, code: 'acme-books' } });
    expect(cb.status).toBe(200);
    expect(cb.body.created).toBe(true);
    expect(cb.body.company).toMatchObject({ connectionId: 'acme-books', providerConfigKey: 'quickbooks', provider: 'quickbooks', businessName: 'Acme Books LLC', status: 'active' });
    expect(Date.parse(cb.body.company.tokenExpiresAt)).toBeGreaterThan(Date.now());

    const list = await m.t.http.get('/api/companies', { token: owner.token });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([cb.body.company.id]);

    // The same callback again updates, it does not duplicate.
    const again = await m.t.http.get('/api/auth/callback', { query: { state: url.body.state } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, company: { id: cb.body.company.id } });
  });

  it('accepts a Nango-chosen connection id in `code` when the connection names this tenant', async () => {
    const owner = await registerTenant(m.t.http);
    const url = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'hubspot' } });
    const conn = m.nango.completeConnect(url.body.sessionToken); // Nango picks a uuid
    const cb = await m.t.http.get('/api/auth/callback', { query: { state: url.body.state, code: conn.connectionId } });
    expect(cb.status).toBe(200);
    expect(cb.body.company).toMatchObject({ connectionId: conn.connectionId, provider: 'hubspot' });
  });

  it('refuses a forged, tampered or missing state with 400, and another tenant’s connection with 404', async () => {
    const a = await registerTenant(m.t.http);
    const b = await registerTenant(m.t.http);
    const urlA = await m.t.http.get('/api/auth/oauth-url', { token: a.token, query: { integration_id: 'quickbooks' } });
    const connA = m.nango.completeConnect(urlA.body.sessionToken);

    const [payload, mac] = String(urlA.body.state).split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), tid: b.tenantId })).toString('base64url');
    const forged = await m.t.http.get('/api/auth/callback', { query: { state: `${tampered}.${mac}` } });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('OAUTH_STATE_INVALID');
    expect((await m.t.http.get('/api/auth/callback', { query: { state: 'garbage' } })).status).toBe(400);
    const missing = await m.t.http.get('/api/auth/callback');
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toContain('state');

    // Tenant B, with its own valid state, points `code` at tenant A's connection: 404.
    const urlB = await m.t.http.get('/api/auth/oauth-url', { token: b.token, query: { integration_id: 'quickbooks' } });
    const stolen = await m.t.http.get('/api/auth/callback', { query: { state: urlB.body.state, code: connA.connectionId } });
    expect(stolen.status).toBe(404);
    const viaExchange = await m.t.http.post('/api/auth/exchange', { connection_id: connA.connectionId, integration_id: 'quickbooks' }, { token: b.token });
    expect(viaExchange.status).toBe(404);
  });

  it('exchange attaches an existing connection on demand; unknown connection or integration → 404 with Nango’s reason', async () => {
    const owner = await registerTenant(m.t.http);
    m.nango.addConnection({ connectionId: `legacy-${owner.tenantId}`, providerConfigKey: 'hubspot', metadata: { company_name: 'Legacy Inc' } });
    const ok = await m.t.http.post('/api/auth/exchange', { connection_id: `legacy-${owner.tenantId}`, integration_id: 'hubspot' }, { token: owner.token });
    expect(ok.status).toBe(200);
    expect(ok.body.company).toMatchObject({ businessName: 'Legacy Inc', provider: 'hubspot' });

    // Once attached, the connection is this tenant's: another tenant cannot take it.
    const other = await registerTenant(m.t.http);
    const taken = await m.t.http.post('/api/auth/exchange', { connection_id: `legacy-${owner.tenantId}`, integration_id: 'hubspot' }, { token: other.token });
    expect(taken.status).toBe(404);

    const unknownConn = await m.t.http.post('/api/auth/exchange', { connection_id: 'nope', integration_id: 'hubspot' }, { token: owner.token });
    expect(unknownConn.status).toBe(404);
    expect(unknownConn.body).toMatchObject({ code: 'NANGO_CONNECTION_NOT_FOUND', message: 'Nango: Connection not found' });
    const unknownInt = await m.t.http.post('/api/auth/exchange', { connection_id: 'nope', integration_id: 'xero' }, { token: owner.token });
    expect(unknownInt.status).toBe(404);
    expect(unknownInt.body.code).toBe('NANGO_INTEGRATION_NOT_FOUND');
    expect(unknownInt.body.message).toContain('xero');
    const badSession = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'xero' } });
    expect(badSession.status).toBe(404);
    expect(badSession.body.code).toBe('NANGO_INTEGRATION_NOT_FOUND');
  });

  it('validates input, requires a JWT on oauth-url and exchange', async () => {
    const owner = await registerTenant(m.t.http);
    expect((await m.t.http.get('/api/auth/oauth-url', { query: { integration_id: 'quickbooks' } })).status).toBe(401);
    expect((await m.t.http.post('/api/auth/exchange', { connection_id: 'x', integration_id: 'quickbooks' })).status).toBe(401);
    const bad = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'has spaces' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('integration_id');
    const missing = await m.t.http.post('/api/auth/exchange', { integration_id: 'quickbooks', extra: 1 }, { token: owner.token });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['connection_id', 'extra']));
  });

  it('connectCompany helper works end to end (used by the other marketplace specs)', async () => {
    const owner = await registerTenant(m.t.http);
    const { company } = await connectCompany(m, owner, 'quickbooks', { connectionConfig: { realmId: '1' } });
    expect(company.status).toBe('active');
  });

  // Tests that boot a second app come last: Passport keeps one global JWT strategy per
  // process (the newest app's), so the first app's tokens stop verifying after one closes.
  it('maps Nango refusing Flowgate’s key to 502, not 500, and never echoes the key', async () => {
    const wrong = await startMarketplace({ NANGO_SECRET_KEY: 'wrong-key' });
    try {
      const res = await wrong.t.http.get('/api/auth/oauth-url', { token: (await registerTenant(wrong.t.http)).token, query: { integration_id: 'quickbooks' } });
      expect(res.status).toBe(502);
      expect(res.body.code).toBe('NANGO_AUTH_FAILED');
      expect(res.text).not.toContain('wrong-key');
      expect(wrong.t.logs.join('\n')).not.toContain('wrong-key');
    } finally {
      await wrong.close();
    }
  });

  it('redirects the callback when OAUTH_REDIRECT_URL is set', async () => {
    const r = await startMarketplace({ OAUTH_REDIRECT_URL: 'https://app.example.test/connected' });
    try {
      const owner = await registerTenant(r.t.http);
      const url = await r.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'quickbooks' } });
      r.nango.completeConnect(url.body.sessionToken, { connectionId: url.body.connectionId });
      const res = await fetch(`${r.t.url}/api/auth/callback?state=${encodeURIComponent(url.body.state)}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.origin + location.pathname).toBe('https://app.example.test/connected');
      expect(location.searchParams.get('status')).toBe('connected');
      expect(location.searchParams.get('company_id')).toMatch(/^[0-9a-f-]{36}$/);
      const bad = await fetch(`${r.t.url}/api/auth/callback?state=forged.state`, { redirect: 'manual' });
      expect(bad.status).toBe(302);
      expect(new URL(bad.headers.get('location')!).searchParams.get('error')).toBe('OAUTH_STATE_INVALID');
    } finally {
      await r.close();
    }
  });

});
