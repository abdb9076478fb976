import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from './support/browser';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { startTestApp, TestApp } from './support/test-app';

/** The operation's block in Swagger UI, expanded. */
async function openOperation(page: Page, method: string, path: string): Promise<Locator> {
  const op = page
    .locator(`.opblock-${method}`)
    .filter({ has: page.locator(`[data-path="${path}"]`) })
    .first();
  await op.locator('.opblock-summary').first().click();
  return op;
}

/** Authorize dialog: bearer token in, "Apply credentials", close. */
async function authorize(page: Page, token: string): Promise<void> {
  await page
    .getByRole('button', { name: /^Authorize/ })
    .first()
    .click();
  const bearer = page.locator('.auth-container form').filter({ has: page.locator('#auth-bearer-value') });
  await bearer.locator('#auth-bearer-value').fill(token);
  await bearer.locator('button.authorize').click(); // labelled "Apply credentials"
  await page.locator('.modal-ux').getByText('Logout').first().waitFor(); // the form now shows "Authorized"
  await page.locator('.modal-ux button.btn-done').first().click();
}

/**
 * A person's path through the docs: open Swagger UI in headless Chromium, authorize with a
 * dev-login token, "Try it out" on GET /api/workflows, and see the 200 in the page.
 */
describe('Swagger UI in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ DEV_MODE: 'true' });
    browser = await launchChromium();
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
    await authorize(page, token);

    const op = await openOperation(page, 'get', '/api/workflows');
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
 * The examples in the document are what a newcomer sends first: on a fresh database, each
 * pre-filled request body is executed as-is from the page ("Try it out", "Execute"), the
 * register answer's token authorizes the rest, and the created workflow's id is the only
 * thing typed in (the run's path parameter). Every one must answer 2xx.
 */
describe('Swagger UI: the pre-filled examples work as they are', () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    db = await createPrivateDatabase('swagger');
    t = await startTestApp({ DEV_MODE: 'true', DATABASE_URL: db.url });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await db?.drop();
  });

  /** Try it out, fill only the given parameters, Execute; the status and body the page shows. */
  async function execute(
    page: Page,
    method: string,
    path: string,
    params: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const op = await openOperation(page, method, path);
    await op.getByRole('button', { name: 'Try it out' }).click();
    for (const [name, value] of Object.entries(params)) await op.locator(`tr[data-param-name="${name}"] input`).first().fill(value);
    await op.getByRole('button', { name: 'Execute' }).click();
    const row = op.locator('.live-responses-table .response').first();
    const status = row.locator('.response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    const text = await row.locator('.response-col_description pre').first().innerText();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the raw text is reported
    }
    return { status: Number((await status.innerText()).trim()), body };
  }

  it('register, then Authorize with its token; create a credential, a workflow, import one, run the created workflow', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(`${t.url}/docs`);
    const seen: Record<string, { status: number; body: unknown }> = {};

    seen.register = await execute(page, 'post', '/api/auth/register');
    const token = (seen.register.body as { accessToken?: string }).accessToken;
    if (token) await authorize(page, token);
    seen.credential = await execute(page, 'post', '/api/credentials');
    seen.workflow = await execute(page, 'post', '/api/workflows');
    seen.import = await execute(page, 'post', '/api/workflows/import');
    const workflowId = (seen.workflow.body as { id?: string }).id;
    if (workflowId) seen.run = await execute(page, 'post', '/api/workflows/{id}/run', { id: workflowId });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-ui-examples.png'), fullPage: false });
    // One assertion over all of them, so a failure lists every example that does not work.
    const failed = Object.entries(seen).filter(([, r]) => r.status < 200 || r.status > 299);
    expect(failed).toEqual([]);
    expect(Object.keys(seen)).toEqual(['register', 'credential', 'workflow', 'import', 'run']);
    expect(seen.run?.status).toBe(202);
  }, 120_000);
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
