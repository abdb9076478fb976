import type { Browser, BrowserContext } from 'playwright-core';
import { quickbooksData } from '../fakes/nango';
import { MarketplaceEnv, startMarketplace } from '../marketplace/marketplace-env';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant } from '../support/test-app';

/** Where the console loads Nango's Connect UI from: the fake's connect links point there. */
const CONNECT_ORIGIN = 'https://connect.nango.dev';

/**
 * Nango's Connect UI, played by the test: the page the SDK frames says `ready` (the SDK answers
 * with the session token, kept in the page for the test to read), and posts `connect` when the
 * test tells it the customer finished. The real UI talks to the SDK the same way (postMessage).
 */
const FAKE_CONNECT_UI = `<!doctype html><html lang="en"><head><title>Connect</title></head><body>
<p id="token">waiting</p>
<script>
  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'session_token') document.getElementById('token').textContent = e.data.sessionToken;
  });
  window.finish = (payload) => window.parent.postMessage({ type: 'connect', payload }, '*');
  window.parent.postMessage({ type: 'ready' }, '*');
</script></body></html>`;

async function serveFakeConnectUi(context: BrowserContext) {
  await context.route(`${CONNECT_ORIGIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: FAKE_CONNECT_UI }));
}

describe('console: companies (Chromium, the real app, Nango fake)', () => {
  let m: MarketplaceEnv;
  let browser: Browser;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    m = await startMarketplace({ NANGO_CONNECT_URL: CONNECT_ORIGIN });
    owner = await registerTenant(m.t.http, 'Companies console');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await m?.close();
  });

  it('connects a company through the Connect UI, lists it, syncs it from its page and shows its records, deletes it', async () => {
    const { context, page, errors } = await consoleContext(browser, m.t.url, owner.token);
    await serveFakeConnectUi(context);
    try {
      await page.goto('/companies');
      await page.getByRole('heading', { level: 1, name: 'Companies' }).waitFor();
      await page.getByText('No company connected yet.').waitFor();
      expect(await axeScan(page)).toEqual([]);

      await page.getByLabel('Integration id').fill('quickbooks');
      await page.getByRole('button', { name: 'Connect a company' }).click();

      // The Connect UI opens in a frame from the connect link's origin; the link is offered too.
      const fallback = page.getByRole('link', { name: 'Open Nango Connect in a new tab' });
      expect(await fallback.getAttribute('href')).toMatch(/^https:\/\/connect\.nango\.dev\/\?session_token=nango_connect_session_/);
      const iframe = page.locator('iframe#connect-ui');
      expect(new URL((await iframe.getAttribute('src'))!).origin).toBe(CONNECT_ORIGIN);
      const frame = page.frameLocator('iframe#connect-ui');
      await frame.getByText(/^nango_connect_session_/).waitFor();
      const sessionToken = (await frame.locator('#token').textContent())!;
      expect(new URL((await fallback.getAttribute('href'))!).searchParams.get('session_token')).toBe(sessionToken);

      // The customer finishes in Nango; the UI tells the console, which calls Flowgate's callback.
      const connection = m.nango.completeConnect(sessionToken, { connectionConfig: { realmId: '4620816365' } });
      m.nango.setQuickBooksData(connection.connectionId, quickbooksData({ customers: 30, items: 4, departments: 2 }));
      const connectFrame = page.frames().find((f) => f.url().startsWith(CONNECT_ORIGIN))!;
      // Source text: the test program has no DOM types; `finish` is the fake UI's own function.
      await connectFrame.evaluate(`finish(${JSON.stringify({ providerConfigKey: 'quickbooks', connectionId: connection.connectionId })})`);
      await page.getByText(/^Connected /).waitFor();
      await iframe.waitFor({ state: 'detached' });
      const table = page.getByRole('table', { name: 'Connected companies' });
      const row = table.getByRole('row').filter({ hasText: 'quickbooks' });
      await row.getByText('active').waitFor();
      expect(await axeScan(page)).toEqual([]);
      await saveScreenshot(page, 'companies');

      // Its page: sync now, follow the run, see the records.
      await row.getByRole('link').click();
      await page.getByRole('heading', { level: 2, name: 'Connection' }).waitFor();
      await page.getByText('Never synced yet.').waitFor();
      await page.getByRole('button', { name: 'Sync now' }).click();
      const runs = page.getByRole('table', { name: 'Sync runs' });
      await runs.getByText('succeeded').waitFor();
      await runs.getByRole('row', { name: /succeeded .* 2 30 4 none/i }).waitFor();
      await page
        .getByRole('table', { name: 'Locations' })
        .getByRole('row', { name: /qb Location 1/ })
        .waitFor();
      const contacts = page.getByRole('table', { name: 'Contacts' });
      await contacts.getByRole('row', { name: /qb Customer 1 customer1@qb\.example/ }).waitFor();
      expect(await contacts.getByRole('row').count()).toBe(26); // header + a page of 25
      await page.getByRole('navigation', { name: 'Contacts pages' }).getByRole('button', { name: 'Next page' }).click();
      await page.getByText('Page 2 of 2 (30)').waitFor();
      // Page 2 holds the last 5: wait until the 7th row (header + 6) is gone.
      await contacts.getByRole('row').nth(6).waitFor({ state: 'detached' });
      expect(await contacts.getByRole('row').count()).toBe(6);
      await page.getByRole('table', { name: 'Products' }).getByRole('row', { name: /SKU-/ }).first().waitFor();
      expect(await axeScan(page)).toEqual([]);
      await saveScreenshot(page, 'company-detail');

      // Delete, confirmed.
      await page.getByRole('button', { name: 'Delete company' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('heading', { name: /^Delete / }).waitFor();
      expect(await axeScan(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByRole('heading', { level: 1, name: 'Companies' }).waitFor();
      await page.getByText('No company connected yet.').waitFor();
      // consoleContext's sign-in script runs in every frame, the fake Connect UI's too, where a
      // third-party frame may not touch localStorage: that error is the test's, not the console's.
      expect(unexpectedErrors(errors).filter((e) => !/Failed to read the 'localStorage' property/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('asks for the integration id on its field', async () => {
    const { context, page, errors } = await consoleContext(browser, m.t.url, owner.token);
    try {
      await page.goto('/companies');
      await page.getByRole('button', { name: 'Connect a company' }).click();
      await page.getByText('Enter the integration id (for example quickbooks).').waitFor();
      expect(await page.getByLabel('Integration id').getAttribute('aria-invalid')).toBe('true');
      expect(await axeScan(page)).toEqual([]);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('console: companies without Nango settings', () => {
  let m: MarketplaceEnv;
  let browser: Browser;
  beforeAll(async () => {
    m = await startMarketplace({ NANGO_HOST: '', NANGO_SECRET_KEY: '', NANGO_WEBHOOK_SECRET: '' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await m?.close();
  });

  it('says which settings are missing (the API 503 message)', async () => {
    const owner = await registerTenant(m.t.http, 'Companies unconfigured');
    const { context, page, errors } = await consoleContext(browser, m.t.url, owner.token);
    try {
      await page.goto('/companies');
      await page.getByText('No company connected yet.').waitFor();
      await page.getByLabel('Integration id').fill('quickbooks');
      await page.getByRole('button', { name: 'Connect a company' }).click();
      await page.getByRole('alert').filter({ hasText: 'Nango is not configured: set NANGO_HOST, NANGO_SECRET_KEY' }).waitFor();
      expect(await page.locator('iframe').count()).toBe(0);
      expect(await axeScan(page)).toEqual([]);
      expect(unexpectedErrors(errors).filter((e) => !/status of 503/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
