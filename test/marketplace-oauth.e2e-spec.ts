import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { registerTenant } from './support/test-app';

describe('marketplace OAuth through Nango (real @nangohq/node client against the fake)', () => {
  let m: MarketplaceEnv;
  beforeAll(async () => {
    m = await startMarketplace();
  });
  afterAll(() => m.close());

  it('runs the full flow: tagged connect session → Connect UI (Nango picks the id) → callback finds the connection by its tags', async () => {
    const owner = await registerTenant(m.t.http);
    m.nango.reset();
    const url = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'quickbooks' } });
    expect(url.status).toBe(200);
    expect(url.body).toMatchObject({ integrationId: 'quickbooks' });
    expect(url.body).not.toHaveProperty('connectionId'); // Flowgate invents no connection id
    expect(url.body.connectLink).toContain(url.body.sessionToken);
    expect(Date.parse(url.body.expiresAt)).toBeGreaterThan(Date.now());
    // The session is identified by tags only (end_user / organization are deprecated).
    const sent = m.nango.requests.find((r) => r.method === 'POST' && r.path === '/connect/sessions')!;
    expect(Object.keys(sent.body as object).sort()).toEqual(['allowed_integrations', 'tags']);
    const session = m.nango.sessions.get(url.body.sessionToken)!;
    expect(session.tags).toEqual({
      organization_id: owner.tenantId,
      end_user_id: owner.userId,
      end_user_email: owner.email,
      flowgate_session: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(session.allowedIntegrations).toEqual(['quickbooks']);

    // The customer finishes the Connect UI: Nango creates the connection with an id of its own
    // choosing and the session's tags; nothing carries that id back to Flowgate.
    const conn = m.nango.completeConnect(url.body.sessionToken, {
      connectionConfig: { realmId: '9130' },
      metadata: { business_name: 'Acme Books LLC' },
    });
    expect(conn.connectionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(conn.tags).toEqual(session.tags);
    expect(JSON.stringify(url.body)).not.toContain(conn.connectionId);

    const cb = await m.t.http.get('/api/auth/callback', { query: { state: url.body.state } });
    expect(cb.status).toBe(200);
    expect(cb.body.created).toBe(true);
    expect(cb.body.company).toMatchObject({
      connectionId: conn.connectionId,
      providerConfigKey: 'quickbooks',
      provider: 'quickbooks',
      businessName: 'Acme Books LLC',
      status: 'active',
    });
    expect(Date.parse(cb.body.company.tokenExpiresAt)).toBeGreaterThan(Date.now());
    // Found through GET /connections filtered by this tenant's and this session's tags.
    const lookup = m.nango.requests.find((r) => r.method === 'GET' && r.path === '/connections')!;
    expect(lookup.query).toEqual({
      integrationId: 'quickbooks',
      'tags[organization_id]': owner.tenantId,
      'tags[flowgate_session]': session.tags.flowgate_session,
      limit: '100',
    });
    // Every call carried the environment's API key as a Bearer token.
    expect(m.nango.requests.length).toBeGreaterThanOrEqual(3);
    for (const r of m.nango.requests) expect(r.headers.authorization).toBe(`Bearer ${m.nango.secretKey}`);

    const list = await m.t.http.get('/api/companies', { token: owner.token });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([cb.body.company.id]);

    // The same callback again updates, it does not duplicate.
    const again = await m.t.http.get('/api/auth/callback', { query: { state: url.body.state } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, company: { id: cb.body.company.id } });
  });

  it('answers 404 until the session has a connection, and tells two sessions of one tenant apart', async () => {
    const owner = await registerTenant(m.t.http);
    const first = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'hubspot' } });
    const second = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'hubspot' } });
    const early = await m.t.http.get('/api/auth/callback', { query: { state: first.body.state } });
    expect(early.status).toBe(404);
    expect(early.body.code).toBe('NANGO_CONNECTION_NOT_FOUND');
    expect(early.body.message).toContain('finish the Nango Connect flow');

    const connB = m.nango.completeConnect(second.body.sessionToken);
    const connA = m.nango.completeConnect(first.body.sessionToken);
    const cbA = await m.t.http.get('/api/auth/callback', { query: { state: first.body.state } });
    const cbB = await m.t.http.get('/api/auth/callback', { query: { state: second.body.state } });
    expect(cbA.body.company.connectionId).toBe(connA.connectionId);
    expect(cbB.body.company.connectionId).toBe(connB.connectionId);
    expect((await m.t.http.get('/api/companies', { token: owner.token })).body.total).toBe(2);
  });

  it('refuses a forged, tampered or missing state with 400, the removed connection-id parameters, and another tenant’s connection', async () => {
    const a = await registerTenant(m.t.http);
    const b = await registerTenant(m.t.http);
    const urlA = await m.t.http.get('/api/auth/oauth-url', { token: a.token, query: { integration_id: 'quickbooks' } });
    const connA = m.nango.completeConnect(urlA.body.sessionToken);

    const [payload, mac] = String(urlA.body.state).split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), tid: b.tenantId })).toString(
      'base64url',
    );
    const forged = await m.t.http.get('/api/auth/callback', { query: { state: `${tampered}.${mac}` } });
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('OAUTH_STATE_INVALID');
    expect((await m.t.http.get('/api/auth/callback', { query: { state: 'garbage' } })).status).toBe(400);
    const missing = await m.t.http.get('/api/auth/callback');
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toContain('state');
    // Flowgate no longer takes a connection id from the browser or the caller.
    const withCode = await m.t.http.get('/api/auth/callback', { query: { state: urlA.body.state, code: connA.connectionId } });
    expect(withCode.status).toBe(400);
    expect(withCode.body.details.map((d: { field: string }) => d.field)).toEqual(['code']);
    const chosen = await m.t.http.get('/api/auth/oauth-url', {
      token: a.token,
      query: { integration_id: 'quickbooks', connection_id: 'mine' },
    });
    expect(chosen.status).toBe(400);
    expect(chosen.body.details.map((d: { field: string }) => d.field)).toEqual(['connection_id']);

    // Tenant B's own session finds nothing of tenant A's; exchange of A's connection is a 404.
    const urlB = await m.t.http.get('/api/auth/oauth-url', { token: b.token, query: { integration_id: 'quickbooks' } });
    expect((await m.t.http.get('/api/auth/callback', { query: { state: urlB.body.state } })).status).toBe(404);
    const viaExchange = await m.t.http.post(
      '/api/auth/exchange',
      { connection_id: connA.connectionId, integration_id: 'quickbooks' },
      { token: b.token },
    );
    expect(viaExchange.status).toBe(404);
    expect((await m.t.http.get('/api/companies', { token: b.token })).body.total).toBe(0);
  });

  it('exchange attaches an existing connection on demand; unknown connection or integration → 404 with Nango’s reason', async () => {
    const owner = await registerTenant(m.t.http);
    m.nango.addConnection({
      connectionId: `legacy-${owner.tenantId}`,
      providerConfigKey: 'hubspot',
      metadata: { company_name: 'Legacy Inc' },
    });
    const ok = await m.t.http.post(
      '/api/auth/exchange',
      { connection_id: `legacy-${owner.tenantId}`, integration_id: 'hubspot' },
      { token: owner.token },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.company).toMatchObject({ businessName: 'Legacy Inc', provider: 'hubspot' });

    // Once attached, the connection is this tenant's: another tenant cannot take it.
    const other = await registerTenant(m.t.http);
    const taken = await m.t.http.post(
      '/api/auth/exchange',
      { connection_id: `legacy-${owner.tenantId}`, integration_id: 'hubspot' },
      { token: other.token },
    );
    expect(taken.status).toBe(404);

    const unknownConn = await m.t.http.post(
      '/api/auth/exchange',
      { connection_id: 'nope', integration_id: 'hubspot' },
      { token: owner.token },
    );
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
    const { company, connection } = await connectCompany(m, owner, 'quickbooks', { connectionConfig: { realmId: '1' } });
    expect(company).toMatchObject({ status: 'active', connectionId: connection.connectionId });
  });

  // Tests that boot a second app come last: Passport keeps one global JWT strategy per
  // process (the newest app's), so the first app's tokens stop verifying after one closes.
  it('maps Nango refusing Flowgate’s key to 502, not 500, and never echoes the key', async () => {
    const wrong = await startMarketplace({ NANGO_SECRET_KEY: 'wrong-key' });
    try {
      const res = await wrong.t.http.get('/api/auth/oauth-url', {
        token: (await registerTenant(wrong.t.http)).token,
        query: { integration_id: 'quickbooks' },
      });
      // The fake checks the Bearer key like Nango: the wrong one is refused with unknown_account.
      expect(wrong.nango.requests.at(-1)?.headers.authorization).toBe('Bearer wrong-key');
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
      r.nango.completeConnect(url.body.sessionToken);
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
