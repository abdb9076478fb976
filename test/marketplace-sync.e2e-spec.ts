import { hubspotData, quickbooksData } from './fakes/nango';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { registerTenant } from './support/test-app';
import { waitFor } from './support/wait-for';

describe('company sync through the Nango proxy (QuickBooks, HubSpot)', () => {
  let m: MarketplaceEnv;
  beforeAll(async () => {
    m = await startMarketplace();
  });
  afterAll(() => m.close());

  async function syncAndWait(token: string, companyId: string) {
    const res = await m.t.http.post(`/api/companies/${companyId}/sync`, undefined, { token });
    expect(res.status).toBe(202);
    const runId = res.body.syncRunId as string;
    const run = await waitFor(async () => {
      const runs = await m.t.http.get(`/api/companies/${companyId}/sync-runs`, { token });
      const r = runs.body.items.find((x: { id: string }) => x.id === runId);
      return r && !['queued', 'running'].includes(r.status) ? r : undefined;
    }, `sync run ${runId}`);
    return { accepted: res.body, run };
  }

  async function allPages(token: string, path: string) {
    const out: Array<Record<string, unknown>> = [];
    for (let page = 1; ; page++) {
      const res = await m.t.http.get(path, { token, query: { page, limit: 100 } });
      expect(res.status).toBe(200);
      out.push(...res.body.items);
      if (out.length >= res.body.total) return out;
    }
  }

  it('QuickBooks: follows STARTPOSITION/MAXRESULTS pages, survives a 429, upserts by provider id', async () => {
    const owner = await registerTenant(m.t.http);
    const { company, connection } = await connectCompany(m, owner, 'quickbooks', { connectionConfig: { realmId: '4620816365' } });
    m.nango.setQuickBooksData(connection.connectionId, quickbooksData({ customers: 250, items: 120, departments: 3 }));
    m.nango.rateLimitProxy(1, 1);
    const before = m.nango.stats.proxyCalls;

    const { accepted, run } = await syncAndWait(owner.token, company.id);
    expect(accepted).toMatchObject({ status: 'queued', alreadyInProgress: false });
    expect(run).toMatchObject({ status: 'succeeded', counts: { locations: 3, contacts: 250, products: 120 }, errors: [] });
    // 3 + 2 + 1 pages, plus the one answered 429 and retried.
    expect(m.nango.stats.proxyCalls - before).toBe(7);
    const proxied = m.nango.requests.filter((r) => r.path.startsWith('/proxy/'));
    expect(
      proxied.every((r) => r.headers['connection-id'] === connection.connectionId && r.headers['provider-config-key'] === 'quickbooks'),
    ).toBe(true);
    expect(proxied.some((r) => /STARTPOSITION 201 MAXRESULTS 100/.test(String(r.query.query)))).toBe(true);

    const contacts = await allPages(owner.token, `/api/companies/${company.id}/contacts`);
    expect(contacts).toHaveLength(250);
    expect(contacts.find((c) => c.externalId === '1')).toMatchObject({
      name: 'qb Customer 1',
      email: 'customer1@qb.example',
      phone: '(555) 010-0000',
    });
    const products = await m.t.http.get(`/api/companies/${company.id}/products`, { token: owner.token, query: { limit: 5 } });
    expect(products.body).toMatchObject({ total: 120, limit: 5 });
    expect(products.body.items[0]).toMatchObject({ sku: expect.stringMatching(/^SKU-/), price: expect.stringMatching(/^\d+\.5/) });
    const locations = await m.t.http.get(`/api/companies/${company.id}/locations`, { token: owner.token });
    expect(locations.body.items.map((l: { name: string }) => l.name).sort()).toEqual(['qb Location 1', 'qb Location 2', 'qb Location 3']);
    expect((await m.t.http.get(`/api/companies/${company.id}`, { token: owner.token })).body.lastSyncedAt).not.toBeNull();

    // Second sync: one renamed, one new, none duplicated.
    const changed = quickbooksData({ customers: 251, items: 120, departments: 3 });
    changed.Customer[0].DisplayName = 'Renamed Customer';
    m.nango.setQuickBooksData(connection.connectionId, changed);
    const second = await syncAndWait(owner.token, company.id);
    expect(second.run).toMatchObject({ status: 'succeeded', counts: { contacts: 251 } });
    const after = await allPages(owner.token, `/api/companies/${company.id}/contacts`);
    expect(after).toHaveLength(251);
    expect(after.find((c) => c.externalId === '1')).toMatchObject({ name: 'Renamed Customer' });
    const runs = await m.t.http.get(`/api/companies/${company.id}/sync-runs`, { token: owner.token });
    expect(runs.body.total).toBe(2);
  });

  it('HubSpot: follows paging.next.after cursors for contacts and products', async () => {
    const owner = await registerTenant(m.t.http);
    const { company, connection } = await connectCompany(m, owner, 'hubspot');
    m.nango.setHubSpotData(connection.connectionId, hubspotData({ contacts: 230, products: 15 }));
    const { run } = await syncAndWait(owner.token, company.id);
    expect(run).toMatchObject({ status: 'succeeded', counts: { contacts: 230, products: 15 }, errors: [] });
    const cursors = m.nango.requests
      .filter((r) => r.path === '/proxy/crm/v3/objects/contacts' && r.headers['connection-id'] === connection.connectionId)
      .map((r) => r.query.after ?? null);
    expect(cursors).toEqual([null, '100', '200']);
    const contacts = await allPages(owner.token, `/api/companies/${company.id}/contacts`);
    expect(contacts).toHaveLength(230);
    expect(contacts.find((c) => c.externalId === '5000')).toMatchObject({ name: 'First1 hsLast1', email: 'contact1@hs.example' });
  });

  it('records a failed run with its errors when the provider cannot be queried', async () => {
    const owner = await registerTenant(m.t.http);
    const { company } = await connectCompany(m, owner, 'quickbooks'); // no realmId anywhere
    const { run } = await syncAndWait(owner.token, company.id);
    expect(run.status).toBe('failed');
    expect(run.errors.map((e: { entity: string }) => e.entity).sort()).toEqual(['contacts', 'locations', 'products']);
    expect(run.errors[0].message).toContain('realmId');
  });

  it('joins a sync already in progress, and refuses one for a company that needs re-authorization', async () => {
    const owner = await registerTenant(m.t.http);
    const { company, connection } = await connectCompany(m, owner, 'hubspot');
    m.nango.setHubSpotData(connection.connectionId, hubspotData({ contacts: 300, products: 0 }));
    m.nango.latencyMs = 300;
    try {
      const first = await m.t.http.post(`/api/companies/${company.id}/sync`, undefined, { token: owner.token });
      const second = await m.t.http.post(`/api/companies/${company.id}/sync`, undefined, { token: owner.token });
      expect(second.status).toBe(202);
      expect(second.body).toMatchObject({ syncRunId: first.body.syncRunId, alreadyInProgress: true });
    } finally {
      m.nango.latencyMs = 0;
    }
    await m.nango.sendWebhook(`${m.t.url}/api/nango/webhook`, m.nango.authWebhook(connection, 'refresh', false));
    const refused = await m.t.http.post(`/api/companies/${company.id}/sync`, undefined, { token: owner.token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('COMPANY_NOT_ACTIVE');
  });
});
