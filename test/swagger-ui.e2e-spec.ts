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

/**
 * Swagger UI maps every route for whoever asks, so production serves it only when the operator
 * says so (SWAGGER_ENABLED=true); development keeps it on (`npm start` serves /docs).
 */
describe('Swagger UI is off by default in production', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'p'.repeat(48),
    ENCRYPTION_KEY: 'cd'.repeat(32),
    ROLE: 'api',
    // Production defaults that would act on the whole shared test database: off here.
    TOKEN_REFRESH_SCHEDULE: 'false',
    SCHEDULE_RECONCILE: 'false',
    LOG_LEVEL: 'silent',
  };
  const docsStatuses = async (env: Record<string, string>) => {
    const t = await startTestApp(env);
    try {
      return [(await t.http.get('/docs')).status, (await t.http.get('/docs-json')).status];
    } finally {
      await t.close();
    }
  };

  it('NODE_ENV=production without SWAGGER_ENABLED: /docs and /docs-json answer 404', async () => {
    expect(await docsStatuses(production)).toEqual([404, 404]);
  });

  it('an explicit SWAGGER_ENABLED wins: true in production serves them, false in development hides them', async () => {
    expect(await docsStatuses({ ...production, SWAGGER_ENABLED: 'true' })).toEqual([200, 200]);
    expect(await docsStatuses({ ...production, NODE_ENV: 'development', SWAGGER_ENABLED: 'false' })).toEqual([404, 404]);
  });
});
