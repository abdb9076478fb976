import Redis from 'ioredis';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { registerTenant } from './support/test-app';

describe('companies API (JWT, tenant-scoped, cached)', () => {
  let m: MarketplaceEnv;
  beforeAll(async () => {
    m = await startMarketplace();
  });
  afterAll(() => m.close());

  async function attach(token: string, name: string, integration = 'hubspot') {
    const cid = `${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
    m.nango.addConnection({ connectionId: cid, providerConfigKey: integration, metadata: { business_name: name } });
    const res = await m.t.http.post('/api/auth/exchange', { connection_id: cid, integration_id: integration }, { token });
    if (res.status !== 200) throw new Error(`exchange ${res.status} ${res.text}`);
    return res.body.company as { id: string; connectionId: string };
  }

  it('paginates and searches the tenant’s companies', async () => {
    const owner = await registerTenant(m.t.http);
    for (const name of ['Alpha Foods', 'Beta Bikes', 'Gamma Games', 'Delta Dairy', 'Epsilon Energy']) await attach(owner.token, name);
    const p1 = await m.t.http.get('/api/companies', { token: owner.token, query: { limit: 2, page: 1 } });
    const p3 = await m.t.http.get('/api/companies', { token: owner.token, query: { limit: 2, page: 3 } });
    expect(p1.body).toMatchObject({ total: 5, page: 1, limit: 2 });
    expect(p1.body.items).toHaveLength(2);
    expect(p3.body.items).toHaveLength(1);
    const all = [
      ...p1.body.items,
      ...(await m.t.http.get('/api/companies', { token: owner.token, query: { limit: 2, page: 2 } })).body.items,
      ...p3.body.items,
    ].map((c: { id: string }) => c.id);
    expect(new Set(all).size).toBe(5);
    const found = await m.t.http.get('/api/companies', { token: owner.token, query: { search: 'bIKes' } });
    expect(found.body.items.map((c: { businessName: string }) => c.businessName)).toEqual(['Beta Bikes']);
    const none = await m.t.http.get('/api/companies', { token: owner.token, query: { search: '%' } });
    expect(none.body.total).toBe(0);
    const bad = await m.t.http.get('/api/companies', { token: owner.token, query: { limit: 101, page: 0, status: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['limit', 'page', 'status']));
    expect((await m.t.http.get('/api/companies')).status).toBe(401);
  });

  it('answers 404 to another tenant on every company route and verb, and leaves the company alone', async () => {
    const a = await registerTenant(m.t.http);
    const b = await registerTenant(m.t.http);
    const { company, connection } = await connectCompany(m, a, 'quickbooks', { connectionConfig: { realmId: '5' } });
    const routes: Array<[string, string]> = [
      ['GET', `/api/companies/${company.id}`],
      ['DELETE', `/api/companies/${company.id}`],
      ['POST', `/api/companies/${company.id}/sync`],
      ['GET', `/api/companies/${company.id}/locations`],
      ['GET', `/api/companies/${company.id}/contacts`],
      ['GET', `/api/companies/${company.id}/products`],
      ['GET', `/api/companies/${company.id}/sync-runs`],
    ];
    for (const [method, path] of routes) {
      const res = await m.t.http.request(method, path, undefined, { token: b.token });
      expect({ method, path, status: res.status, code: res.body.code }).toEqual({ method, path, status: 404, code: 'NOT_FOUND' });
    }
    expect((await m.t.http.get('/api/companies', { token: b.token })).body.total).toBe(0);
    // Still there, for its owner and at Nango, with no sync run started by B.
    expect((await m.t.http.get(`/api/companies/${company.id}`, { token: a.token })).status).toBe(200);
    expect(m.nango.connection('quickbooks', connection.connectionId)).toBeDefined();
    expect((await m.t.http.get(`/api/companies/${company.id}/sync-runs`, { token: a.token })).body.total).toBe(0);
    // Malformed ids are 400, unknown ones 404.
    expect((await m.t.http.get('/api/companies/not-a-uuid', { token: a.token })).status).toBe(400);
    expect((await m.t.http.get('/api/companies/00000000-0000-4000-8000-000000000000', { token: a.token })).status).toBe(404);
  });

  it('DELETE removes the Nango connection, the company and its data; cached reads see it at once', async () => {
    const owner = await registerTenant(m.t.http);
    const company = await attach(owner.token, 'Doomed Corp');
    // Warm the cache, then delete.
    expect((await m.t.http.get('/api/companies', { token: owner.token })).body.total).toBe(1);
    expect((await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token })).status).toBe(200);
    const del = await m.t.http.delete(`/api/companies/${company.id}`, { token: owner.token });
    expect(del.status).toBe(204);
    expect(m.nango.connection('hubspot', company.connectionId)).toBeUndefined();
    expect((await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token })).status).toBe(404);
    expect((await m.t.http.get('/api/companies', { token: owner.token })).body.total).toBe(0);
    expect((await m.t.http.delete(`/api/companies/${company.id}`, { token: owner.token })).status).toBe(404);
  });

  it('DELETE still succeeds when Nango no longer has the connection', async () => {
    const owner = await registerTenant(m.t.http);
    const company = await attach(owner.token, 'Gone Already');
    m.nango.connections.delete(`hubspot\u0000${company.connectionId}`);
    expect((await m.t.http.delete(`/api/companies/${company.id}`, { token: owner.token })).status).toBe(204);
  });

  it('caches reads in Redis under the tenant namespace with the configured TTL', async () => {
    const owner = await registerTenant(m.t.http);
    const company = await attach(owner.token, 'Cached Co');
    await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token });
    const redis = new Redis(m.t.config.redis.url);
    try {
      const keys = await redis.keys(`${m.t.config.queue.prefix}:kv:cache:companies:${owner.tenantId}:*company:${company.id}`);
      expect(keys).toHaveLength(1);
      const ttl = await redis.ttl(keys[0]);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
      expect(JSON.parse((await redis.get(keys[0]))!)).toMatchObject({ id: company.id, businessName: 'Cached Co' });
    } finally {
      redis.disconnect();
    }
  });
});
