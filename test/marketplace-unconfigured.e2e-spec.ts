import { DataSource } from 'typeorm';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

const ADMIN = { 'x-admin-token': 'test-admin-token-0123456789' };
const NO_NANGO = { NANGO_HOST: '', NANGO_SECRET_KEY: '', NANGO_WEBHOOK_SECRET: '' };

describe('marketplace without Nango settings', () => {
  describe('nothing configured', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(NO_NANGO);
    });
    afterAll(() => t.close());

    it('every Nango route answers 503 naming the missing settings', async () => {
      const owner = await registerTenant(t.http);
      // A company left from when Nango was configured: its Nango actions need Nango.
      const [row] = await t.app
        .get(DataSource)
        .query(
          `INSERT INTO companies (tenant_id, connection_id, provider_config_key, provider) VALUES ($1, $2, 'hubspot', 'hubspot') RETURNING id`,
          [owner.tenantId, `left-over-${owner.tenantId}`],
        );
      const calls = [
        t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'quickbooks' } }),
        t.http.get('/api/auth/callback', { query: { state: 'anything' } }),
        t.http.post('/api/auth/exchange', { connection_id: 'c', integration_id: 'quickbooks' }, { token: owner.token }),
        t.http.delete(`/api/companies/${row.id}`, { token: owner.token }),
        t.http.post(`/api/companies/${row.id}/sync`, undefined, { token: owner.token }),
        t.http.post('/api/admin/tokens/refresh-all', undefined, { headers: ADMIN }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({
          code: 'NANGO_NOT_CONFIGURED',
          message: 'Nango is not configured: set NANGO_HOST, NANGO_SECRET_KEY',
        });
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['NANGO_HOST', 'NANGO_SECRET_KEY']);
      }
      const hook = await t.http.post('/api/nango/webhook', { type: 'auth' }, { headers: { 'x-nango-hmac-sha256': 'a'.repeat(64) } });
      expect(hook.status).toBe(503);
      expect(hook.body.message).toBe('Nango is not configured: set NANGO_WEBHOOK_SECRET');
    });

    it('the rest of Flowgate works: auth, reads of companies, health, admin report', async () => {
      const owner = await registerTenant(t.http);
      expect((await t.http.get('/api/auth/me', { token: owner.token })).status).toBe(200);
      const list = await t.http.get('/api/companies', { token: owner.token });
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ items: [], total: 0 });
      expect((await t.http.get('/health/ready')).status).toBe(200);
      const report = await t.http.get('/api/admin/system/health', { headers: ADMIN });
      expect(report.status).toBe(200);
      expect(report.body.status).toBe('ok');
      expect(report.body.nango).toMatchObject({
        configured: false,
        missingSettings: ['NANGO_HOST', 'NANGO_SECRET_KEY', 'NANGO_WEBHOOK_SECRET'],
        reachable: { status: 'not_configured' },
      });
      expect(report.body.dependencies.nango).toMatchObject({ status: 'down', error: expect.stringContaining('not configured') });
    });
  });

  describe('only the webhook secret configured', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ ...NO_NANGO, NANGO_WEBHOOK_SECRET: 'only-the-webhook-secret' });
    });
    afterAll(() => t.close());

    it('verifies webhooks, and names just the missing API settings elsewhere', async () => {
      const owner = await registerTenant(t.http);
      const hook = await t.http.post('/api/nango/webhook', { type: 'sync' }, { headers: { 'x-nango-hmac-sha256': 'b'.repeat(64) } });
      expect(hook.status).toBe(401);
      const url = await t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'quickbooks' } });
      expect(url.status).toBe(503);
      expect(url.body.details.map((d: { field: string }) => d.field)).toEqual(['NANGO_HOST', 'NANGO_SECRET_KEY']);
    });
  });
});
