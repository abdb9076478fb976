import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { startTestApp, TestApp } from './support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '.artifacts');

/**
 * A person's path through the docs: open Swagger UI in headless Chromium, authorize with a
 * dev-login token, "Try it out" on GET /api/workflows, and see the 200 in the page.
 */
describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (the CI script does)`);
    t = await startTestApp({ DEV_MODE: 'true' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('authorizes with a dev-login token and runs GET /api/workflows from the page', async () => {
    const token = (await t.http.post('/api/auth/dev-login')).body.accessToken as string;
    expect(token).toBeTruthy();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${t.url}/docs`);
    await page.getByRole('button', { name: /^Authorize/ }).first().click();
    const bearer = page.locator('.auth-container form').filter({ has: page.locator('#auth-bearer-value') });
    await bearer.locator('#auth-bearer-value').fill(token);
    await bearer.locator('button.authorize').click(); // labelled "Apply credentials"
    await page.locator('.modal-ux').getByText('Logout').first().waitFor(); // the form now shows "Authorized"
    await page.locator('.modal-ux button.btn-done').first().click();

    const op = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/api/workflows"]') }).first();
    await op.locator('.opblock-summary').first().click();
    await op.getByRole('button', { name: 'Try it out' }).click();
    await op.getByRole('button', { name: 'Execute' }).click();
    const status = op.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.innerText()).trim()).toBe('200');
    // the request really carried the token the page was given
    expect(await op.locator('.curl-command, .curl').first().innerText()).toContain(`Bearer ${token}`);

    await status.scrollIntoViewIfNeeded();
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-ui-try-it-out.png'), fullPage: false });
    expect(consoleErrors.filter((e) => !/favicon/i.test(e))).toEqual([]);
  });
});
