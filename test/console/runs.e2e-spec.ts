import { DataSource } from 'typeorm';
import type { Browser, Page } from 'playwright-core';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { freePort } from '../support/free-port';
import { registerTenant, startTestApp, TestApp } from '../support/test-app';
import { coreWorkflow, createWorkflow, waitForExecution } from '../support/workflow-helpers';

describe('console: runs list and run detail (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let greeter: { id: string; name: string };
  let broken: { id: string; name: string };
  const failedIds: string[] = [];

  const run = async (workflowId: string, payload: unknown) => {
    const res = await t.http.post(`/api/workflows/${workflowId}/run`, { payload }, { token: owner.token });
    expect(res.status).toBe(202);
    return (await waitForExecution(t.http, owner.token, res.body.executionId)) as { id: string; status: string };
  };
  /** The run ids GET /api/logs answers for `query` (what the page must list). */
  const apiIds = async (query: string) => {
    const res = await t.http.get(`/api/logs?limit=200&${query}`, { token: owner.token });
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ id: string }>).map((r) => r.id).sort();
  };
  /** The run ids the page shows (every row is in the DOM while the list is short). */
  const pageIds = async (page: Page) =>
    Promise.all((await page.locator('[data-testid="run-row"]').all()).map(async (row) => (await row.getAttribute('data-run-id')) ?? ''));
  const loaded = (page: Page, n: number) => page.getByRole('status').getByText(`${n} ${n === 1 ? 'run' : 'runs'} loaded (end of list)`);

  beforeAll(async () => {
    const closed = await freePort();
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    owner = await registerTenant(t.http, 'Runs console');
    greeter = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Greeter' }));
    broken = await createWorkflow(t.http, owner.token, {
      name: 'Broken call',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'call',
          connector: 'http',
          action: 'request',
          params: { method: 'POST', url: `http://127.0.0.1:${closed}/hook`, body: { id: '{{trigger.id}}' } },
        },
      ],
      settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
    });
    for (let i = 1; i <= 3; i++) expect((await run(greeter.id, { user: { name: `Ada ${i}` }, order: { id: i } })).status).toBe('succeeded');
    for (let i = 1; i <= 2; i++) {
      const e = await run(broken.id, { id: i });
      expect(e.status).toBe('failed');
      failedIds.push(e.id);
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('filters by status and workflow through the URL, opens a run with its steps, and retries a failed one', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);
    await page.goto('/runs');
    await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    await loaded(page, 5).waitFor();
    expect((await pageIds(page)).sort()).toEqual(await apiIds(''));
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'runs');

    // Status filter: the URL says it, the list is the API's answer for it.
    await page.getByRole('group', { name: 'Status' }).getByRole('checkbox', { name: 'failed', exact: true }).check();
    await page.waitForURL(/[?&]status=failed/);
    await loaded(page, 2).waitFor();
    expect((await pageIds(page)).sort()).toEqual(await apiIds('status=failed'));

    // Workflow filter, on top.
    await page.getByLabel('Workflow').selectOption({ label: 'Greeter' });
    await page.waitForURL((u) => u.searchParams.get('workflowId') === greeter.id);
    await page.getByText('No runs match these filters').waitFor();
    await page.getByRole('group', { name: 'Status' }).getByRole('checkbox', { name: 'failed', exact: true }).uncheck();
    await loaded(page, 3).waitFor();
    expect((await pageIds(page)).sort()).toEqual(await apiIds(`workflowId=${greeter.id}`));

    // Back: the previous filters, from the URL.
    await page.goBack();
    await page.getByText('No runs match these filters').waitFor();
    await page.goBack();
    await loaded(page, 2).waitFor();
    expect(await page.getByLabel('Workflow').inputValue()).toBe('');

    // A link (from the dashboard) opens a filtered list.
    await page.goto(`/runs?status=succeeded&workflowId=${greeter.id}`);
    await loaded(page, 3).waitFor();
    expect(await page.getByRole('group', { name: 'Status' }).getByRole('checkbox', { name: 'succeeded', exact: true }).isChecked()).toBe(
      true,
    );

    // A succeeded run: its steps' input and output.
    await page.locator('[data-testid="run-row"]').first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Run of Greeter' }).waitFor();
    await page.getByRole('heading', { level: 3, name: '1. shape' }).waitFor();
    await page.getByRole('heading', { level: 3, name: '2. check' }).waitFor();
    await page.getByText('Input of shape').click();
    // The input as the step got it: templates rendered with the trigger payload.
    await page.getByRole('region', { name: 'Input of shape' }).getByText('"greeting": "Hello Ada').waitFor();
    await page.getByText('Output of shape').click();
    await page.getByRole('region', { name: 'Output of shape' }).getByText('"greeting": "Hello Ada').waitFor();
    expect(await page.getByRole('link', { name: 'version 1' }).getAttribute('href')).toBe(`/workflows/${greeter.id}?version=1`);
    expect(await page.getByRole('link', { name: 'Greeter', exact: true }).getAttribute('href')).toBe(`/workflows/${greeter.id}`);

    // A failed run: its error, the rendered input, and Retry → the new run.
    await page.goto(`/runs/${failedIds[0]}`);
    await page.getByRole('heading', { level: 1, name: 'Run of Broken call' }).waitFor();
    await page.getByRole('heading', { level: 3, name: '1. call' }).waitFor();
    await page.getByText('Input of call').click();
    await page.getByRole('region', { name: 'Input of call' }).getByText('"id": 1').waitFor();
    await page.getByText('Error of call').waitFor();
    await page.getByRole('region', { name: 'Trigger payload' }).getByText('"id": 1').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'run-detail');

    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForURL((u) => /^\/runs\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(failedIds[0]));
    await page.getByRole('link', { name: 'the original run' }).waitFor();
    // The retry fails as well (the port is still closed): the page follows it to its end.
    await page.getByRole('heading', { level: 2, name: 'Summary' }).waitFor();
    await page.getByText('Error of call').waitFor();
    await page.getByRole('link', { name: 'All runs' }).click();
    await loaded(page, 6).waitFor();
    await page.getByRole('group', { name: 'Trigger' }).getByRole('checkbox', { name: 'retry', exact: true }).check();
    await page.waitForURL(/[?&]trigger=retry/);
    await loaded(page, 1).waitFor();

    // Time range preset: the last hour holds every run; Clear filters empties the query.
    await page.goto('/runs');
    await loaded(page, 6).waitFor();
    await page.getByRole('group', { name: 'Quick range:' }).getByRole('button', { name: 'Last hour' }).click();
    await page.waitForURL((u) => u.searchParams.has('from'));
    expect(await page.getByLabel('Received from').inputValue()).not.toBe('');
    await loaded(page, 6).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => u.search === '');

    // A bad link: the API's 400 shown on the field it names.
    await page.goto('/runs?workflowId=not-a-uuid');
    await page.getByRole('alert').first().waitFor();
    await page.getByText('workflowId must be a UUID').first().waitFor();
    expect(await page.getByLabel('Workflow').getAttribute('aria-invalid')).toBe('true');

    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('follows a running run until it ends, refreshes the list on its own, and shows a 409 retry', async () => {
    const db = t.app.get(DataSource);
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);

    // A run a worker is on: no Retry while it runs; the page polls and shows its end.
    const [{ id: runningId }] = await db.query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, trigger, status, job_id, received_at, started_at)
       VALUES (gen_random_uuid(), $1, $2, 'Greeter', 'manual', 'running', 'console-running', now(), now()) RETURNING id`,
      [owner.tenantId, greeter.id],
    );
    await page.goto(`/runs/${runningId}`);
    await page.getByText('This run is running: the page follows it until it finishes.').waitFor();
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await db.query(`UPDATE executions SET status = 'succeeded', finished_at = now(), duration_ms = 12 WHERE id = $1 AND tenant_id = $2`, [
      runningId,
      owner.tenantId,
    ]);
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    await page.getByText('12 ms').waitFor();

    // Auto-refresh: a run started elsewhere appears in the list without a reload.
    await page.goto(`/runs?workflowId=${broken.id}`);
    await loaded(page, failedIds.length + 1).waitFor();
    await page.getByRole('checkbox', { name: 'Auto-refresh every 5 s' }).check();
    const fresh = await run(broken.id, { id: 99 });
    await page.locator(`[data-testid="run-row"][data-run-id="${fresh.id}"]`).waitFor();
    await loaded(page, failedIds.length + 2).waitFor();

    // A run whose workflow was deleted cannot be retried: the API's 409, said on the page.
    const doomed = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Doomed' }));
    const doomedRun = await run(doomed.id, { order: { id: 1 } });
    expect((await t.http.delete(`/api/workflows/${doomed.id}`, { token: owner.token })).status).toBe(204);
    await page.goto(`/runs/${doomedRun.id}`);
    await page.getByRole('heading', { level: 1, name: 'Run of Doomed' }).waitFor();
    await page.getByText('Doomed (deleted)').waitFor();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('alert').filter({ hasText: 'deleted' }).waitFor();
    expect(page.url()).toContain(`/runs/${doomedRun.id}`);
    expect(await axeScan(page)).toEqual([]);

    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('keeps the DOM small with 10,000 runs loaded, and the last one can be reached and opened', async () => {
    const bulk = await registerTenant(t.http, 'Bulk runs');
    const wf = await createWorkflow(t.http, bulk.token, coreWorkflow({ name: 'Bulk' }));
    await t.app.get(DataSource).query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, trigger, status, job_id, received_at)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, 'Bulk', 'webhook',
              (ARRAY['succeeded','failed','succeeded','cancelled'])[1 + g % 4], 'bulk-' || g, now() - g * interval '1 second'
       FROM generate_series(1, 10000) g`,
      [bulk.tenantId, wf.id],
    );
    const { context, page, errors } = await consoleContext(browser, t.url, bulk.token);
    await page.goto('/runs');
    const count = page.locator('.runs-count');
    await count.getByText('200 runs loaded').waitFor();
    const scroller = page.getByRole('region', { name: 'Runs list (scrolls)' });
    const toEnd = () =>
      scroller.evaluate((el: { scrollTop: number; scrollHeight: number }) => {
        el.scrollTop = el.scrollHeight;
      });
    // Scroll to the end again and again: each time near the end, the next page loads.
    for (let i = 0; i < 100; i++) {
      const before = await count.textContent();
      if (before === '10000 runs loaded (end of list)') break;
      await toEnd();
      await page
        .locator('.runs-count')
        .filter({ hasNotText: before ?? '' })
        .waitFor();
    }
    await count.getByText('10000 runs loaded (end of list)').waitFor();
    expect(await page.getByRole('table', { name: 'Runs' }).getAttribute('aria-rowcount')).toBe('10001');
    const rendered = await page.locator('[data-testid="run-row"]').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    // The oldest run is the last row: reached by scrolling, opened by its link.
    const oldest = (
      await t.app
        .get(DataSource)
        .query(`SELECT id FROM executions WHERE tenant_id = $1 ORDER BY received_at ASC, id ASC LIMIT 1`, [bulk.tenantId])
    )[0].id as string;
    await toEnd();
    const last = page.locator('[data-testid="run-row"][aria-rowindex="10001"]');
    expect(await last.getAttribute('data-run-id')).toBe(oldest);
    await last.getByRole('link').click();
    await page.waitForURL(`**/runs/${oldest}`);
    await page.getByRole('heading', { level: 1, name: 'Run of Bulk' }).waitFor();
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
