import type { Browser } from 'playwright-core';
import { KongFake, startKongFake } from '../fakes/kong-admin.fake';
import { createWorkflow } from '../kong.helpers';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp } from '../support/test-app';

const SECRET = 'usage-secret-0123456789-abcdefghij';
const DAY_MS = 86_400_000;
/** Passport keeps one 'jwt' strategy per process: both apps of this file share the secret. */
const JWT_SECRET = 'gateway-console-jwt-secret-0123456789abcdef';

/** An http-log entry as Kong's log serializer writes it (the fields usage metering reads). */
function logEntry(tags: string[], o: { consumer?: string; latency: number; status?: number; at: number }) {
  return {
    request: {
      method: 'POST',
      uri: '/workflows/x/metered',
      url: 'http://kong:8000/workflows/x/metered',
      size: 100,
      querystring: {},
      headers: {},
    },
    upstream_uri: '/api/webhooks/x',
    response: { status: o.status ?? 202, size: 50, headers: {} },
    tries: [],
    consumer: o.consumer ? { id: 'c1', username: o.consumer, custom_id: null, created_at: 1 } : undefined,
    route: { id: 'r1', name: 'flowgate-metered-x', paths: ['/workflows/x/metered'], tags },
    service: { id: 's1', name: 'flowgate-metered-x', host: 'api', tags },
    latencies: { request: o.latency, kong: 1, proxy: Math.max(0, o.latency - 1), receive: 0 },
    client_ip: '203.0.113.9',
    started_at: o.at,
  };
}

describe('console: gateway (Chromium, the real app, Kong fake)', () => {
  let kong: KongFake;
  let t: TestApp;
  let browser: Browser;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    kong = await startKongFake();
    t = await startTestApp({ KONG_ADMIN_URL: kong.url, KONG_USAGE_SECRET: SECRET, JWT_SECRET });
    owner = await registerTenant(t.http, 'Gateway console');
    await createWorkflow(t.http, owner.token, { name: 'Metered orders' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await kong?.close();
  });

  it('applies a pattern to a workflow, charts its usage, deletes it', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);
    try {
      await page.goto('/gateway');
      await page.getByRole('heading', { level: 1, name: 'Gateway' }).waitFor();
      const status = page.getByRole('region', { name: 'Kong status' });
      await status.getByText('up').waitFor();
      await page.getByText('No pattern applied yet.').waitFor();
      await page.getByText('No usage in this range.').waitFor();
      expect(await axeScan(page)).toEqual([]);

      // A refused option is shown on its field.
      await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption({ label: 'Metered orders' });
      await page.getByRole('combobox', { name: 'Pattern', exact: true }).selectOption({ label: 'Webhook handler' });
      await page.getByLabel('second', { exact: true }).fill('0');
      await page.getByRole('button', { name: 'Apply pattern' }).click();
      await page.locator('.field-error').first().waitFor();
      expect(await page.getByLabel('second', { exact: true }).getAttribute('aria-invalid')).toBe('true');

      await page.getByRole('combobox', { name: 'Pattern', exact: true }).selectOption({ label: 'Usage tracking' });
      await page.getByRole('button', { name: 'Apply pattern' }).click();
      await page.getByText(/^Applied: /).waitFor();
      const deployments = page.getByRole('table', { name: 'Kong deployments' });
      const row = deployments.getByRole('row', { name: /Usage tracking Metered orders/i });
      await row.getByText('active').waitFor();

      // What Kong's http-log would send for that deployment's route: two days, two consumers.
      const [deployment] = (await t.http.get('/api/kong/templates', { token: owner.token })).body;
      const tags = kong.tagged('routes', `deployment:${deployment.id}`)[0].tags!;
      const now = Date.now();
      const entries = [
        logEntry(tags, { consumer: 'acme', latency: 10, at: now - DAY_MS }),
        logEntry(tags, { consumer: 'acme', latency: 30, at: now - DAY_MS, status: 500 }),
        logEntry(tags, { consumer: 'globex', latency: 20, at: now }),
        logEntry(tags, { latency: 40, at: now }),
      ];
      expect((await t.http.post('/api/kong/usage', entries, { headers: { 'x-kong-usage-secret': SECRET } })).status).toBeLessThan(300);

      await page.reload();
      const usage = page.getByRole('region', { name: 'Usage' });
      await usage.getByRole('img', { name: /^Requests: 2 groups/ }).waitFor();
      await usage.getByRole('img', { name: /^Latency: 2 groups/ }).waitFor();
      await usage.getByText(/^4 requests, 1 errors/).waitFor();
      const table = usage.getByRole('table', { name: 'Usage by day' });
      expect(await table.getByRole('row').count()).toBe(3);
      expect(await axeScan(page)).toEqual([]);
      await saveScreenshot(page, 'gateway');

      await usage.getByRole('combobox', { name: 'Group by', exact: true }).selectOption({ label: 'Consumer' });
      const byConsumer = usage.getByRole('table', { name: 'Usage by consumer' });
      await byConsumer.getByRole('row', { name: /acme 2 1/ }).waitFor();
      await byConsumer.getByRole('row', { name: /\(anonymous\) 1 0/ }).waitFor();
      await usage.getByRole('combobox', { name: 'Range', exact: true }).selectOption({ label: 'Last 30 days' });
      await byConsumer.getByRole('row', { name: /globex 1 0/ }).waitFor();

      await row.getByRole('button', { name: 'Delete Usage tracking on Metered orders' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('heading', { name: 'Delete this deployment?' }).waitFor();
      expect(await axeScan(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByText('No pattern applied yet.').waitFor();
      expect(kong.tagged('routes', `deployment:${deployment.id}`)).toHaveLength(0);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('console: gateway without Kong', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp({ KONG_ADMIN_URL: '', JWT_SECRET });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('says Kong is not configured (the API 503 message)', async () => {
    const owner = await registerTenant(t.http, 'Gateway no Kong');
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);
    try {
      await page.goto('/gateway');
      const status = page.getByRole('region', { name: 'Kong status' });
      await status
        .getByRole('alert')
        .filter({ hasText: /A service Flowgate depends on is unavailable: .*Kong/i })
        .waitFor();
      expect(await axeScan(page)).toEqual([]);
      expect(unexpectedErrors(errors).filter((e) => !/status of 503/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
