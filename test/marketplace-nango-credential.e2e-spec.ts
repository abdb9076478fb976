import { ConnectorInvoker } from '../src/modules/connectors/connector-invoker';
import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { SALESFORCE_FAKE_TOKEN, SalesforceFake, startSalesforceFake } from './fakes/salesforce.fake';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { registerTenant } from './support/test-app';
import { failure } from './support/connector-failure';

type Owner = Awaited<ReturnType<typeof registerTenant>>;

describe('credential kind nango: a company’s connection as a connector credential', () => {
  let m: MarketplaceEnv;
  let echo: FakeServer;
  let salesforce: SalesforceFake;
  let invoker: ConnectorInvoker;
  let owner: Owner;

  const credential = async (o: Owner, name: string, connectorKey: string, companyId: string) =>
    m.t.http.post(
      '/api/credentials',
      { name, connectorKey, authKind: 'nango', secrets: { companyId }, allowedHosts: connectorKey === 'http' ? ['127.0.0.1'] : undefined },
      { token: o.token },
    );

  beforeAll(async () => {
    [echo, salesforce] = await Promise.all([startEchoFake(), startSalesforceFake()]);
    m = await startMarketplace({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1' });
    invoker = m.t.app.get(ConnectorInvoker);
    owner = await registerTenant(m.t.http);
  });
  afterAll(async () => {
    await m.close();
    await Promise.all([echo.close(), salesforce.close()]);
  });

  it('http connector: a workflow-less invoke sends Authorization: Bearer <fresh token> and never outputs it', async () => {
    const { company, connection } = await connectCompany(m, owner, 'hubspot');
    // The token is about to expire: Nango refreshes it when Flowgate asks at call time.
    connection.expiresAt = new Date(Date.now() + 60_000);
    const stale = connection.accessToken;
    const cred = await credential(owner, 'Customer HubSpot', 'http', company.id);
    expect(cred.status).toBe(201);
    expect(cred.text).not.toContain(stale);

    const out = (await invoker.invoke({
      tenantId: owner.tenantId,
      connectorKey: 'http',
      action: 'request',
      params: { url: `${echo.url}/crm/v3/objects/contacts`, method: 'GET' },
      credentialId: cred.body.id,
    })) as { status: number; body: { headers: Record<string, string> } };
    expect(out.status).toBe(200);
    const fresh = connection.accessToken;
    expect(fresh).not.toBe(stale);
    expect(echo.requests).toHaveLength(1);
    expect(echo.requests[0].headers.authorization).toBe(`Bearer ${fresh}`);
    // The echoed header comes back scrubbed: the token never reaches a step's output.
    expect(JSON.stringify(out)).not.toContain(fresh);
    // Nothing about the token was stored.
    const row = await m.t.http.get(`/api/credentials/${cred.body.id}`, { token: owner.token });
    expect(row.text).not.toContain(fresh);
    expect(m.t.logs.join('\n')).not.toContain(fresh);
  });

  it('salesforce connector: token and instance URL from the Nango connection', async () => {
    const { company, connection } = await connectCompany(m, owner, 'hubspot');
    connection.accessToken = SALESFORCE_FAKE_TOKEN; // what the org issued through Nango
    connection.connectionConfig = { instance_url: salesforce.url };
    const cred = await credential(owner, 'Customer Salesforce', 'salesforce', company.id);
    expect(cred.status).toBe(201);
    const out = (await invoker.invoke({
      tenantId: owner.tenantId,
      connectorKey: 'salesforce',
      action: 'query',
      params: { soql: 'SELECT Id, Name FROM Account LIMIT 5' },
      credentialId: cred.body.id,
    })) as { status: number; body: { totalSize: number } };
    expect(out.status).toBe(200);
    expect(salesforce.requests[0].headers.authorization).toBe(`Bearer ${SALESFORCE_FAKE_TOKEN}`);
  });

  it('is tenant-scoped and refuses companies that need re-authorization', async () => {
    const { company, connection } = await connectCompany(m, owner, 'hubspot');
    // Another tenant cannot point a credential at this company: for them it does not exist.
    const other = await registerTenant(m.t.http);
    const foreign = await credential(other, 'Not mine', 'http', company.id);
    expect(foreign.status).toBe(400);
    expect(foreign.body.details).toEqual([{ field: 'secrets.companyId', message: expect.stringContaining('no marketplace company') }]);
    const unknown = await credential(other, 'Made up', 'http', '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe(foreign.body.message); // an existing foreign id reads like an unknown one

    // A company deleted after the save: the reference is checked again at call time.
    const { company: own } = await connectCompany(m, other, 'hubspot');
    const doomed = await credential(other, 'Doomed', 'http', own.id);
    expect(doomed.status).toBe(201);
    expect((await m.t.http.delete(`/api/companies/${own.id}`, { token: other.token })).status).toBe(204);
    const denied = await failure(
      invoker.invoke({
        tenantId: other.tenantId,
        connectorKey: 'http',
        action: 'request',
        params: { url: `${echo.url}/x` },
        credentialId: doomed.body.id,
      }),
    );
    expect(denied).toMatchObject({ retryable: false, code: 'CREDENTIAL_INVALID' });
    expect(denied.message).toContain('no longer exists');

    // Nango's lazy refresh is refused by the provider at call time: the company becomes needs_reauth.
    connection.expiresAt = new Date(Date.now() + 60_000);
    connection.refresh = 'invalid';
    const cred = await credential(owner, 'Soon broken', 'http', company.id);
    const refused = await failure(
      invoker.invoke({
        tenantId: owner.tenantId,
        connectorKey: 'http',
        action: 'request',
        params: { url: `${echo.url}/x` },
        credentialId: cred.body.id,
      }),
    );
    expect(refused).toMatchObject({ retryable: false, code: 'NANGO_TOKEN_UNAVAILABLE' });
    expect((await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token })).body.status).toBe('needs_reauth');
    const again = await failure(
      invoker.invoke({
        tenantId: owner.tenantId,
        connectorKey: 'http',
        action: 'request',
        params: { url: `${echo.url}/x` },
        credentialId: cred.body.id,
      }),
    );
    expect(again.message).toContain('needs_reauth');
    expect(echo.requests.filter((r) => r.path === '/x')).toHaveLength(0);
  });

  it('validates the stored reference', async () => {
    const bad = await m.t.http.post(
      '/api/credentials',
      { name: 'Bad ref', connectorKey: 'http', authKind: 'nango', secrets: { companyId: 'nope', token: 'x' } },
      { token: owner.token },
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('companyId');
  });
});
