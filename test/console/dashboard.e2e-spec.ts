import type { Browser, Page } from 'playwright-core';
import { startEchoFake } from '../fakes/echo.fake';
import { FakeServer } from '../fakes/fake-server';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp } from '../support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from '../support/workflow-helpers';

/** As the console prints a rate (web/src/lib/format.ts). */
const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

describe('console: dashboard (Chromium, the real app)', () => {
  let t: TestApp;
  let sink: FakeServer;
  let browser: Browser;
  let tenant: Awaited<ReturnType<typeof registerTenant>>;
  const wf: Record<'ok' | 'timeout' | 'broken', { id: string; name: string }> = {} as never;

  /** A webhook event for the workflow, through the API, followed until its run has finished. */
  const fire = async (w: { id: string }) => {
    const res = await t.http.post(`/api/webhooks/${w.id}`, { order: { id: 'o-1' } });
    expect(res.status).toBe(202);
    return waitForExecution(t.http, tenant.token, res.body.executionId);
  };
  const stat = (page: Page, id: string) => page.getByTestId(`stat-${id}`);

  beforeAll(async () => {
    sink = await startEchoFake();
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1' });
    tenant = await registerTenant(t.http, 'Dashboard console');
    browser = await launchChromium();
    const http = (name: string, path: string, stepTimeoutMs = 5_000) =>
      coreWorkflow({
        name,
        steps: [{ name: 'call', connector: 'http', action: 'request', params: { method: 'POST', url: `${sink.url}${path}` } }],
        settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 }, stepTimeoutMs },
      });
    wf.ok = await createWorkflow(t.http, tenant.token, coreWorkflow({ name: 'Dash ok' }));
    // Slow (and failing): its step waits for an answer that never comes, until its 700 ms limit.
    wf.timeout = await createWorkflow(t.http, tenant.token, http('Dash timeout', '/hang', 700));
    wf.broken = await createWorkflow(t.http, tenant.token, http('Dash broken', '/status/500'));
    for (let i = 0; i < 3; i++) expect((await fire(wf.ok)).status).toBe('succeeded');
    expect((await fire(wf.timeout)).status).toBe('failed');
    for (let i = 0; i < 2; i++) expect((await fire(wf.broken)).status).toBe('failed');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  it('shows a new tenant how to start', async () => {
    const fresh = await registerTenant(t.http, 'Dashboard empty');
    const { context, page, errors } = await consoleContext(browser, t.url, fresh.token);
    try {
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await page.getByText('No workflows yet').waitFor();
      const create = page.getByRole('link', { name: 'Create a workflow' });
      expect(await create.getAttribute('href')).toBe('/workflows/new');
      expect(await axeScan(page)).toEqual([]);
      await saveScreenshot(page, 'dashboard-empty');
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the API’s error, and loads once the API answers again', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url, tenant.token);
    try {
      let fail = true;
      await page.route('**/api/dashboard**', (route) =>
        fail
          ? route.fulfill({
              status: 503,
              contentType: 'application/json',
              body: JSON.stringify({ statusCode: 503, code: 'DB_UNAVAILABLE', message: 'The database is unavailable. Retry shortly.' }),
            })
          : route.continue(),
      );
      await page.goto('/');
      await page.getByRole('alert').getByText('The database is unavailable. Retry shortly.').waitFor();
      expect(await axeScan(page)).toEqual([]);
      fail = false;
      await page.getByRole('button', { name: 'Try again' }).click();
      await stat(page, 'runs').waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
      // The 503s this test answered are logged by the browser; nothing else may be.
      expect(unexpectedErrors(errors).filter((e) => !/status of 503/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the API’s figures, the slowest and most failing workflows, and a new run after the next poll', async () => {
    const api = (await t.http.get('/api/dashboard', { token: tenant.token })).body;
    expect(api.runs).toMatchObject({ total: 6, byStatus: { succeeded: 3, failed: 3 } });
    const { context, page, errors } = await consoleContext(browser, t.url, tenant.token);
    try {
      await page.goto('/');
      await stat(page, 'runs').getByText(String(api.runs.total), { exact: true }).waitFor();
      expect(await stat(page, 'workflows').innerText()).toContain(`${api.activeWorkflows}`);
      expect(await stat(page, 'workflows').innerText()).toContain(`of ${api.totalWorkflows} in total`);
      expect(await stat(page, 'success-rate').innerText()).toContain(percent(api.runs.successRate));
      expect(await stat(page, 'failed').innerText()).toContain(String(api.runs.byStatus.failed));
      expect(await stat(page, 'queue').innerText()).toContain(`${api.queue.waiting} waiting`);
      await page
        .getByTestId('dashboard-updated')
        .getByText(/^Updated /)
        .waitFor();

      // Accessible charts: the status table and the hourly chart's summary.
      const statusTable = page.getByRole('table', { name: /Runs by status/ });
      expect(await statusTable.getByRole('row', { name: /Failed/ }).innerText()).toContain('3');
      expect(await page.getByRole('img', { name: /Runs per hour, last 24 hours: 6 runs in total/ }).count()).toBe(1);

      const slowest = page.getByRole('table', { name: 'Slowest workflows' });
      const slowFirst = slowest.getByRole('link').first();
      expect(await slowFirst.innerText()).toBe('Dash timeout');
      expect(await slowFirst.getAttribute('href')).toBe(`/workflows/${wf.timeout.id}`);
      expect(await slowest.getByRole('row').count()).toBe(1 + api.slowest.length);

      const failing = page.getByRole('table', { name: 'Most failing workflows' });
      const names = await failing.getByRole('rowheader').allInnerTexts();
      expect(names).toEqual(['Dash broken', 'Dash timeout']);
      expect(await failing.getByRole('link', { name: 'Failed runs of Dash broken' }).getAttribute('href')).toBe(
        `/runs?workflowId=${wf.broken.id}&status=failed`,
      );

      expect(await axeScan(page)).toEqual([]);
      await saveScreenshot(page, 'dashboard');

      // Live: a run that finishes now shows after the next poll (10 s), without a reload.
      await fire(wf.ok);
      await stat(page, 'runs')
        .getByText(String(api.runs.total + 1), { exact: true })
        .waitFor({ timeout: 25_000 });
      expect(await stat(page, 'success-rate').innerText()).toContain(percent(4 / 7));

      // The week window, then a pause.
      await page.getByLabel('Window').selectOption({ label: 'Last 7 days' });
      await page.getByRole('img', { name: /Runs per hour, last 7 days: 7 runs in total/ }).waitFor();
      const pause = page.getByRole('button', { name: 'Pause live updates' });
      await pause.click();
      await page.getByRole('button', { name: 'Resume live updates' }).waitFor();
      expect(await page.getByRole('button', { name: 'Resume live updates' }).getAttribute('aria-pressed')).toBe('true');
      expect(await axeScan(page)).toEqual([]);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
