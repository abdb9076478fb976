import type { Browser } from 'playwright-core';
import { connectCompany, MarketplaceEnv, startMarketplace } from '../marketplace/marketplace-env';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant } from '../support/test-app';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

describe('console: admin page (Chromium, the real app, Nango fake)', () => {
  let m: MarketplaceEnv;
  let browser: Browser;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let companyId: string;

  beforeAll(async () => {
    m = await startMarketplace();
    owner = await registerTenant(m.t.http, 'Admin console');
    const { company } = await connectCompany(m, owner, 'quickbooks', { connectionConfig: { realmId: '4620816365' } });
    companyId = company.id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await m?.close();
  });

  it('asks for the admin token, shows token statuses and health, refreshes all, forgets the token', async () => {
    const { context, page, errors } = await consoleContext(browser, m.t.url, owner.token);
    try {
      await page.goto('/admin');
      await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Sign in as operator' }).waitFor();
      expect(await axeScan(page)).toEqual([]);

      await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Use admin token' }).click();

      // Token statuses: the connected company, its tenant and status.
      const tokens = page.getByRole('table', { name: 'Token status per company' });
      const row = tokens.getByRole('row').filter({ hasText: owner.tenantId });
      await row.waitFor();
      await row.getByText('active').waitFor();
      // Health: every dependency with status and latency.
      await page.getByRole('heading', { name: 'System health' }).waitFor();
      const deps = page.getByRole('table', { name: 'Dependencies' });
      await deps.getByRole('row', { name: /database up [\d.]+ ms/i }).waitFor();
      await deps.getByRole('row', { name: /redis up [\d.]+ ms/i }).waitFor();
      await deps.getByRole('row', { name: /nango/i }).waitFor();

      // The token is in this tab's sessionStorage only, never localStorage.
      const stored = await page.evaluate(`({ s: sessionStorage.getItem('flowgate.adminToken'), l: JSON.stringify(localStorage) })`);
      expect(stored).toEqual({ s: ADMIN_TOKEN, l: expect.not.stringContaining(ADMIN_TOKEN) });

      await page.getByRole('button', { name: 'Refresh all' }).click();
      await page.getByText(/Refresh started for \d+ compan(y|ies): \d+ refresh(es)? queued\./).waitFor();
      expect(await axeScan(page)).toEqual([]);
      await saveScreenshot(page, 'admin');
      expect(companyId).toBeTruthy();

      await page.getByRole('button', { name: 'Forget admin token' }).click();
      await page.getByLabel('Admin token').waitFor();
      expect(await page.evaluate(`sessionStorage.getItem('flowgate.adminToken')`)).toBeNull();
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a wrong admin token: a clear message, and the token is forgotten', async () => {
    const { context, page, errors } = await consoleContext(browser, m.t.url, owner.token);
    try {
      await page.goto('/admin');
      await page.getByLabel('Admin token').fill('not-the-admin-token-0123456789');
      await page.getByRole('button', { name: 'Use admin token' }).click();
      await page.getByRole('alert').filter({ hasText: 'The admin token was refused' }).first().waitFor();
      await page.getByLabel('Admin token').waitFor();
      expect(await page.evaluate(`sessionStorage.getItem('flowgate.adminToken')`)).toBeNull();
      // Still signed in: a wrong admin token is not an ended session.
      expect(page.url()).toMatch(/\/admin$/);
      expect(await axeScan(page)).toEqual([]);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
