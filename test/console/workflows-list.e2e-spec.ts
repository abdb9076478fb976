import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { coreWorkflow, createWorkflow, waitForExecution } from '../support/workflow-helpers';

/**
 * The workflows list in Chromium against the real app: last run, the active switch, export,
 * import (good, malformed and refused documents) and delete.
 */
describe('console: workflows list (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let greeter: { id: string };
  let nightly: { id: string };
  let runId: string;
  let exportedPath: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await registerTenant(t.http, 'Console workflows');
    greeter = await createWorkflow(t.http, owner.token, coreWorkflow({ name: 'Order greeter' }));
    nightly = await createWorkflow(
      t.http,
      owner.token,
      coreWorkflow({ name: 'Nightly report', trigger: { type: 'schedule', cron: '0 2 * * *', timezone: 'Europe/Paris' } }),
    );
    const accepted = await t.http.post(`/api/webhooks/${greeter.id}`, { order: { id: 7 } });
    runId = accepted.body.executionId;
    await waitForExecution(t.http, owner.token, runId);
    browser = await launchChromium();
    ({ context, page, errors } = await consoleContext(browser, t.url, owner.token));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const workflow = async (id: string) => (await t.http.get(`/api/workflows/${id}`, { token: owner.token })).body;

  it('lists both workflows with their trigger, state and last run (linked to the run)', async () => {
    await page.goto('/workflows');
    await page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
    await row('Order greeter').waitFor();
    expect(await row('Order greeter').getByRole('link', { name: 'Order greeter' }).getAttribute('href')).toBe(`/workflows/${greeter.id}`);
    const lastRun = row('Order greeter').locator(`a[href="/runs/${runId}"]`);
    await lastRun.waitFor();
    expect(await lastRun.textContent()).toMatch(/ago|just now/);
    expect(await row('Order greeter').textContent()).toContain('succeeded');
    expect(await row('Nightly report').textContent()).toContain('0 2 * * * (Europe/Paris)');
    expect(await row('Nightly report').textContent()).toContain('Never run');
    expect(await page.getByRole('switch', { name: 'Active: Nightly report' }).getAttribute('aria-checked')).toBe('true');
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'workflows');
  });

  it('the active switch deactivates a workflow through the API', async () => {
    await page.getByRole('switch', { name: 'Active: Nightly report' }).click();
    await page.getByRole('switch', { name: 'Active: Nightly report', checked: false }).waitFor();
    await waitFor(async () => (await workflow(nightly.id)).active === false, 'the workflow to be inactive');
    // And back on: the switch and the API agree.
    await page.locator('[role="switch"][aria-label="Active: Nightly report"]:not([aria-busy])').waitFor();
    await page.getByRole('switch', { name: 'Active: Nightly report' }).click();
    await page.getByRole('switch', { name: 'Active: Nightly report', checked: true }).waitFor();
    await waitFor(async () => (await workflow(nightly.id)).active === true, 'the workflow to be active again');
  });

  it('exports a workflow as a .flowgate.json document', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Order greeter' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Order-greeter.flowgate.json');
    exportedPath = (await download.path())!;
    const doc = JSON.parse(readFileSync(exportedPath, 'utf8'));
    expect(doc).toMatchObject({ name: 'Order greeter', trigger: { type: 'webhook' } });
    expect(doc.steps.map((s: { name: string }) => s.name)).toEqual(['shape', 'check']);
  });

  it('import: malformed JSON and a refused document show their errors; the exported file creates a copy', async () => {
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a workflow' });
    await dialog.waitFor();
    expect(await axeScan(page)).toEqual([]);

    const json = dialog.getByLabel('Workflow JSON');
    await json.fill('{"name": ');
    await dialog.getByRole('button', { name: 'Import workflow' }).click();
    await dialog.getByText(/Not valid JSON/).waitFor();
    expect(await json.getAttribute('aria-invalid')).toBe('true');

    const doc = JSON.parse(readFileSync(exportedPath, 'utf8'));
    delete doc.name;
    await json.fill(JSON.stringify(doc));
    await dialog.getByRole('button', { name: 'Import workflow' }).click();
    const problems = dialog.getByRole('list', { name: 'Problems by field' });
    await problems.waitFor();
    expect(await problems.textContent()).toContain('name');
    expect(await axeScan(page)).toEqual([]);

    await dialog.getByLabel('Workflow file').setInputFiles(exportedPath);
    await waitFor(async () => (await json.inputValue()).includes('"Order greeter"'), 'the file in the text area');
    await dialog.getByRole('button', { name: 'Import workflow' }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    const newId = page.url().split('/').pop()!;
    expect(newId).not.toBe(greeter.id);
    const copy = await workflow(newId);
    expect(copy).toMatchObject({ name: 'Order greeter', trigger: { type: 'webhook' } });
  });

  it('deletes a workflow after confirming', async () => {
    await page.goto('/workflows');
    await page.getByRole('button', { name: 'Delete Nightly report' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete workflow?' });
    await dialog.waitFor();
    expect(await axeScan(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete workflow' }).click();
    await page.getByText('"Nightly report" was deleted.').waitFor();
    await row('Order greeter').first().waitFor();
    // The notice comes first, then the list reloads without the deleted row.
    await page.getByRole('link', { name: 'Nightly report', exact: true }).waitFor({ state: 'detached' });
    expect((await t.http.get(`/api/workflows/${nightly.id}`, { token: owner.token })).status).toBe(404);
    expect(unexpectedErrors(errors)).toEqual([]);
  });

  it('rolls the switch back and says why when the API refuses (503)', async () => {
    await page.route('**/api/workflows/*/toggle', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 503, code: 'QUEUE_UNAVAILABLE', message: 'the job queue is unavailable' }),
      }),
    );
    await page.getByRole('switch', { name: 'Active: Order greeter' }).first().click();
    await page.getByRole('alert').filter({ hasText: 'Could not deactivate "Order greeter"' }).waitFor();
    await page.locator('[role="switch"][aria-label="Active: Order greeter"]:not([aria-busy])').first().waitFor();
    expect(await page.getByRole('switch', { name: 'Active: Order greeter' }).first().getAttribute('aria-checked')).toBe('true');
    expect((await workflow(greeter.id)).active).toBe(true);
    expect(await axeScan(page)).toEqual([]);
    await page.unroute('**/api/workflows/*/toggle');
  });

  it('shows the load error, and the empty state of a team without workflows', async () => {
    await page.route('**/api/workflows?*', (route) => route.abort());
    await page.goto('/workflows');
    await page.getByRole('alert').filter({ hasText: 'Flowgate cannot be reached' }).waitFor();
    await page.unroute('**/api/workflows?*');

    const empty = await registerTenant(t.http, 'Empty team');
    const fresh = await consoleContext(browser, t.url, empty.token);
    try {
      await fresh.page.goto('/workflows');
      await fresh.page.getByText('No workflows yet').waitFor();
      expect(await fresh.page.getByRole('link', { name: 'Create one' }).getAttribute('href')).toBe('/workflows/new');
      expect(await axeScan(fresh.page)).toEqual([]);
      await fresh.page.getByLabel('Show').selectOption('inactive');
      await fresh.page.getByText('No inactive workflows').waitFor();
      expect(fresh.page.url()).toContain('state=inactive');
      expect(unexpectedErrors(fresh.errors)).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });
});
