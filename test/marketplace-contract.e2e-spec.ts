import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractProblems } from '../src/core/openapi/document-rules';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { openApiContract } from './support/openapi-contract';
import { registerTenant } from './support/test-app';

type Op = {
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: { example?: unknown } }>;
  responses: Record<string, any>;
};

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
const MARKETPLACE_PATHS = (p: string) =>
  p.startsWith('/api/companies') || ['/api/auth/oauth-url', '/api/auth/callback', '/api/auth/exchange', '/api/nango/webhook'].includes(p);
const op = (path: string, method: string) => doc.paths[path][method] as Op;

/** The marketplace part of the contract: the document itself, and the answers the document promises. */
describe('marketplace API contract', () => {
  describe('the document', () => {
    const operations = Object.entries(doc.paths)
      .filter(([p]) => MARKETPLACE_PATHS(p))
      .flatMap(([p, item]) => Object.entries(item as Record<string, Op>).map(([m, o]) => ({ at: `${m.toUpperCase()} ${p}`, o })));

    it('lists every marketplace operation under the one `marketplace` tag, with no contract problem', () => {
      expect(operations).toHaveLength(12);
      for (const { at, o } of operations) expect([at, o.tags]).toEqual([at, ['marketplace']]);
      const paths = new Set(Object.keys(doc.paths).filter(MARKETPLACE_PATHS));
      expect(contractProblems(doc).filter((p) => [...paths].some((path) => p.includes(` ${path}:`) || p.includes(` ${path} `)))).toEqual(
        [],
      );
    });

    it('authenticates the Nango webhook with the nango-signature scheme, not a header parameter, and promises no 429', () => {
      const hook = op('/api/nango/webhook', 'post');
      expect(hook.security).toEqual([{ 'nango-signature': [] }]);
      expect((hook.parameters ?? []).filter((p) => p.in === 'header')).toEqual([]);
      expect(Object.keys(hook.responses).sort()).toEqual(['200', '400', '401', '413', '415', '503']);
    });

    it('documents the Nango failures each route can pass on, and the callback redirect with its Location header', () => {
      for (const [path, method] of [
        ['/api/auth/oauth-url', 'get'],
        ['/api/auth/callback', 'get'],
        ['/api/auth/exchange', 'post'],
        ['/api/companies/{id}', 'delete'],
      ]) {
        expect([path, Object.keys(op(path, method).responses)]).toEqual([path, expect.arrayContaining(['404', '429', '502', '503'])]);
        expect(op(path, method).responses['502'].description).toContain('NANGO_AUTH_FAILED');
        expect(op(path, method).responses['503'].description).toContain('NANGO_NOT_CONFIGURED');
      }
      for (const path of ['/api/auth/callback', '/api/auth/exchange'])
        expect(op(path, path.endsWith('exchange') ? 'post' : 'get').responses['409'].description).toContain('NANGO_NEEDS_REAUTH');
      expect(op('/api/companies/{id}/sync', 'post').responses['409'].description).toContain('COMPANY_NOT_ACTIVE');
      const found = op('/api/auth/callback', 'get').responses['302'];
      expect(found.content).toBeUndefined();
      expect(found.headers.Location).toMatchObject({ description: expect.any(String), schema: { type: 'string', format: 'uri' } });
    });

    it('types sync counts per entity as integers and record payloads as JSON objects', () => {
      const s = doc.components.schemas;
      expect(s.SyncRunCountsDto.properties).toEqual({
        locations: expect.objectContaining({ type: 'integer' }),
        contacts: expect.objectContaining({ type: 'integer' }),
        products: expect.objectContaining({ type: 'integer' }),
      });
      expect(s.LocationDto.properties.data).toMatchObject({ type: 'object', additionalProperties: true });
      expect(s.CompanyDto.properties.lastRefreshStatus.enum).toEqual(['succeeded', 'failed', null]);
      for (const page of ['CompanyPageDto', 'SyncRunPageDto', 'LocationPageDto']) expect(s[page].properties.total.type).toBe('integer');
    });
  });

  describe('answers (every one checked against the document by the test client)', () => {
    let m: MarketplaceEnv;
    beforeAll(async () => {
      m = await startMarketplace();
    });
    afterAll(() => m?.close());

    const postHook = (raw: string, signature: string | null = m.nango.signWebhook(raw), contentType = 'application/json') =>
      m.t.http.post('/api/nango/webhook', undefined, {
        raw,
        headers: { 'content-type': contentType, ...(signature === null ? {} : { 'x-nango-hmac-sha256': signature }) },
      });

    it('the Nango webhook: 200 outcomes, 401 without or with a wrong signature, 400 naming mistyped fields of any event, 415', async () => {
      const owner = await registerTenant(m.t.http);
      const url = await m.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'quickbooks' } });
      const conn = m.nango.completeConnect(url.body.sessionToken);
      const creation = JSON.stringify(m.nango.authWebhook(conn, 'creation'));
      expect((await postHook(creation)).body).toEqual({ status: 'company_upserted' });

      expect((await postHook(creation, null)).body).toMatchObject({ statusCode: 401, code: 'NANGO_SIGNATURE_REQUIRED' });
      expect((await postHook(creation, 'ab'.repeat(32))).body).toMatchObject({ statusCode: 401, code: 'NANGO_SIGNATURE_INVALID' });

      // Fields Flowgate reads have their documented type whatever the event type.
      const sync = await postHook(JSON.stringify({ type: 'sync', connectionId: 'x', providerConfigKey: 'hubspot', success: 'yes' }));
      expect(sync.status).toBe(400);
      expect(sync.body.details).toEqual([{ field: 'success', message: 'success must be a boolean' }]);
      const badTag = await postHook(JSON.stringify({ ...JSON.parse(creation), tags: { organization_id: 7 } }));
      expect(badTag.status).toBe(400);
      expect(badTag.body.details).toEqual([{ field: 'tags.organization_id', message: 'tags.organization_id must be a string' }]);
      const badType = await postHook(JSON.stringify({ type: ['auth'] }));
      expect(badType.body.details).toEqual([{ field: 'type', message: 'type must be a string' }]);
      // Null where Nango leaves things empty is fine.
      const empty = await postHook(JSON.stringify({ type: 'sync', tags: null, endUser: null, error: null }));
      expect(empty.body).toEqual({ status: 'ignored', reason: 'type sync is not handled' });

      // Only JSON: the app parses forms and text for other routes, this one refuses them (even signed).
      for (const [raw, type] of [
        ['type=auth&operation=creation', 'application/x-www-form-urlencoded'],
        ['{"type":"auth"}', 'text/plain'],
        ['<a/>', 'application/xml'],
      ]) {
        const res = await postHook(raw, m.nango.signWebhook(raw), type);
        expect([type, res.status, res.body.code]).toEqual([type, 415, 'UNSUPPORTED_MEDIA_TYPE']);
      }
    });

    it('exchange answers 409 NANGO_NEEDS_REAUTH when Nango cannot refresh the connection any more', async () => {
      const owner = await registerTenant(m.t.http);
      m.nango.addConnection({
        connectionId: `stale-${owner.tenantId}`,
        providerConfigKey: 'hubspot',
        expiresAt: new Date(Date.now() - 60_000),
        refresh: 'exhausted',
      });
      const res = await m.t.http.post(
        '/api/auth/exchange',
        { connection_id: `stale-${owner.tenantId}`, integration_id: 'hubspot' },
        { token: owner.token },
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('NANGO_NEEDS_REAUTH');
    });

    it('refuses bad or unknown query parameters with 400 naming them', async () => {
      const owner = await registerTenant(m.t.http);
      const { company } = await connectCompany(m, owner, 'hubspot');
      const field = async (path: string, query: Record<string, string>) => {
        const res = await m.t.http.get(path, { token: owner.token, query });
        expect(res.status).toBe(400);
        return [...new Set(res.body.details.map((d: { field: string }) => d.field))];
      };
      expect(await field('/api/companies', { status: 'gone' })).toEqual(['status']);
      expect(await field('/api/companies', { page: '0' })).toEqual(['page']);
      expect(await field('/api/companies', { tenantId: owner.tenantId })).toEqual(['tenantId']);
      expect(await field(`/api/companies/${company.id}/sync-runs`, { limit: '101' })).toEqual(['limit']);
      expect(await field(`/api/companies/${company.id}/contacts`, { limit: '1.5' })).toEqual(['limit']);
      expect(await field('/api/auth/oauth-url', { integration_id: 'quickbooks', connection_id: 'x' })).toEqual(['connection_id']);
    });

    it("the document's example integration works as sent from Swagger UI by a fresh account", async () => {
      const example = op('/api/auth/oauth-url', 'get').parameters!.find((p) => p.name === 'integration_id')!.schema!.example;
      expect(example).toBe('quickbooks');
      const fresh = await registerTenant(m.t.http);
      const res = await m.t.http.get('/api/auth/oauth-url', { token: fresh.token, query: { integration_id: String(example) } });
      expect(res.status).toBe(200);
      expect(res.body.integrationId).toBe('quickbooks');
    });
  });

  // Apps with other settings boot after the first one closed (Passport keeps one global JWT strategy).
  describe('the OAuth callback redirect', () => {
    it('matches its documented 302: no body, a Location URL', async () => {
      const r = await startMarketplace({ OAUTH_REDIRECT_URL: 'https://app.example.test/connected' });
      try {
        const owner = await registerTenant(r.t.http);
        const url = await r.t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'quickbooks' } });
        r.nango.completeConnect(url.body.sessionToken);
        for (const state of [url.body.state, 'forged.state']) {
          const target = new URL(`${r.t.url}/api/auth/callback?state=${encodeURIComponent(state)}`);
          const res = await fetch(target, { redirect: 'manual' });
          const text = await res.text();
          expect(res.status).toBe(302);
          openApiContract().check('GET', target, res.status, res.headers.get('content-type') ?? '', text, text);
          expect(new URL(res.headers.get('location')!).origin).toBe('https://app.example.test');
        }
      } finally {
        await r.close();
      }
    });
  });

  describe('the Nango webhook and the rate limit', () => {
    it('is never answered 429, while throttled routes are', async () => {
      const r = await startMarketplace({ RATE_LIMIT_LIMIT: '2' });
      try {
        const raw = JSON.stringify({ type: 'sync', connectionId: 'x', providerConfigKey: 'hubspot', success: true });
        const signature = r.nango.signWebhook(raw);
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const res = await r.t.http.post('/api/nango/webhook', undefined, {
            raw,
            headers: { 'content-type': 'application/json', 'x-nango-hmac-sha256': signature },
          });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
        const owner = await registerTenant(r.t.http);
        const listed: number[] = [];
        for (let i = 0; i < 3; i++) listed.push((await r.t.http.get('/api/companies', { token: owner.token })).status);
        expect(listed).toContain(429);
      } finally {
        await r.close();
      }
    });
  });
});
