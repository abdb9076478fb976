import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, Locator, Page } from 'playwright-core';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';
import { addStep, dryRunWithSideEffects, press } from './builder-steps';
import { createWorkflow, waitForExecution } from '../support/workflow-helpers';

jest.setTimeout(180_000);

interface Recorded {
  method: string;
  url: string;
  body: string;
}

/** A fake upstream on loopback that records every request and answers JSON. */
function startFake(): Promise<{ server: Server; url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ greeting: 'hello from the fake', n: requests.length }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })),
  );
}

/** Waits until the locator shows text matching `re` (Playwright's auto-waiting, no sleeps). */
async function waitForText(locator: Locator, re: RegExp) {
  await locator.filter({ hasText: re }).first().waitFor();
}

async function outlineNames(page: Page): Promise<string[]> {
  const items = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  return (await items.locator('.outline-title .mono').allTextContents()).map((t) => t.replace(/^\d+\.\s*/, ''));
}

describe('Console: workflow builder', () => {
  let t: TestApp;
  let browser: Browser;
  let fake: Awaited<ReturnType<typeof startFake>>;
  let token: string;

  beforeAll(async () => {
    fake = await startFake();
    t = await startTestApp({ DEV_MODE: 'true', OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    browser = await launchChromium();
    token = (await t.http.post('/api/auth/dev-login')).body.accessToken as string;
    const cred = await t.http.post(
      '/api/credentials',
      { name: 'Fake bearer', connectorKey: 'http', authKind: 'bearer', secrets: { token: 'fake-token-1234' }, allowedHosts: ['127.0.0.1'] },
      { token },
    );
    expect(cred.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((r) => fake?.server.close(r));
  });

  it('builds, validates, dry-runs, activates and runs a workflow', async () => {
    const { page, errors, context } = await consoleContext(browser, t.url, token);
    await page.goto('/workflows/new');
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor();
    await page.getByText('No steps yet: add the first one.').waitFor();
    expect(await axeScan(page)).toEqual([]);

    const name = `Builder ${Date.now()}`;
    await page.getByLabel('Workflow name').fill(name);

    // Transform (mouse), http step (keyboard only), condition inserted after the transform (keyboard).
    await addStep(page, 'Add step', 'Transform', 'shape');
    await page.getByLabel('Fields to build (JSON object)').fill('{"orderId": "{{trigger.order.id}}"}');
    await addStep(page, 'Add step', 'Connector action', 'fetch', true);
    // The credential picker lists this connector's credentials, and "None" (http may run without one).
    const credential = page.getByLabel('Credential', { exact: true });
    await credential.locator('option', { hasText: 'Fake bearer (bearer)' }).waitFor({ state: 'attached' });
    expect(await credential.inputValue()).toBe('');
    await page.getByLabel('method', { exact: true }).selectOption('POST');
    await page.getByRole('textbox', { name: 'url', exact: true }).fill(`${fake.url}/hook`);
    await page.getByRole('textbox', { name: 'body', exact: true }).fill('{"order": "{{steps.shape.orderId}}"}');
    await addStep(page, 'Add step after shape', 'Condition', 'check', true);
    await page.getByLabel('Left value', { exact: true }).fill('{{steps.shape.orderId}}');
    await page.getByLabel('When does fetch run?').selectOption({ label: 'Only when true' });
    expect(await outlineNames(page)).toEqual(['shape', 'check', 'fetch']);

    // Reorder and delete with the keyboard: an extra step moved up, then deleted (confirmed).
    await addStep(page, 'Add step', 'Transform', 'extra');
    await page.getByLabel('Fields to build (JSON object)').fill('{"x": 1}');
    await press(page, 'Move up extra');
    expect(await outlineNames(page)).toEqual(['shape', 'check', 'extra', 'fetch']);
    await press(page, 'Move down extra');
    expect(await outlineNames(page)).toEqual(['shape', 'check', 'fetch', 'extra']);
    await press(page, 'Delete extra');
    await page.getByRole('dialog', { name: 'Delete step extra?' }).getByRole('button', { name: 'Delete step' }).press('Enter');
    expect(await outlineNames(page)).toEqual(['shape', 'check', 'fetch']);
    // The graph shows the condition's branch as a labelled edge.
    await page.locator('.react-flow__edge-text', { hasText: 'true' }).first().waitFor();
    // Graph nodes are focusable: Enter on a node selects its step.
    await page.getByRole('group', { name: 'Step 1: shape' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Step 1: shape' }).waitFor();
    // Renaming a step rewrites the templates that read it.
    await page.getByRole('textbox', { name: 'Step name', exact: true }).fill('shaped');
    await page.getByRole('heading', { name: 'Step 1: shaped' }).waitFor();
    await page.getByRole('button', { name: 'Edit check' }).click();
    expect(await page.getByLabel('Left value', { exact: true }).inputValue()).toBe('{{steps.shaped.orderId}}');
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'builder');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    // The workflow's own route renders its own page instance (the new-workflow page hands over).
    await page.locator(`[data-workflow-route="${id}"]`).waitFor();
    await page.getByRole('heading', { level: 1, name: `Workflow: ${name}` }).waitFor();

    // A missing required param: the API's message on the node, in the outline and on the field.
    await page.getByRole('button', { name: 'Edit fetch' }).click();
    await page.getByRole('heading', { name: 'Step 3: fetch' }).waitFor();
    await page.getByRole('textbox', { name: 'url', exact: true }).fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'to fix before saving' });
    await summary.getByRole('button', { name: 'fetch (params.url): is required' }).waitFor();
    const fieldError = page
      .locator('.field-invalid', { has: page.getByRole('textbox', { name: 'url', exact: true }) })
      .locator('.field-error');
    await waitForText(fieldError, /is required/);
    await page.locator('.react-flow__node.has-errors, .flow-node.has-errors', { hasText: 'fetch' }).first().waitFor();
    await page.getByRole('list', { name: 'Steps' }).getByRole('listitem').filter({ hasText: 'fetch' }).getByText('1 error').waitFor();
    await page.getByRole('textbox', { name: 'url', exact: true }).fill(`${fake.url}/hook`);

    // Dry run with side effects on: saves the fix first, then every node succeeds and the fake is called.
    await dryRunWithSideEffects(page, '{"order": {"id": 42}}', ['shaped', 'check', 'fetch']);
    await page.getByRole('button', { name: 'Edit fetch' }).click();
    await waitForText(page.getByTestId('dry-run-output'), /hello from the fake/);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', url: '/hook' });
    expect(JSON.parse(fake.requests[0].body)).toEqual({ order: 42 });
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'builder-dry-run');

    // Activate, then a webhook call runs it.
    await page.getByRole('switch', { name: /Active/ }).click();
    await page.getByText('(runs on its trigger)').waitFor();
    const wf = await t.http.get(`/api/workflows/${id}`, { token });
    expect(wf.body.active).toBe(true);
    const hook = await t.http.post(wf.body.webhookPath, { order: { id: 7 } });
    expect(hook.status).toBe(202);
    const run = await waitForExecution(t.http, token, hook.body.executionId);
    expect(run.status).toBe('succeeded');
    expect(fake.requests).toHaveLength(2);

    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('opens, selects and saves a 50-step workflow', async () => {
    const steps = Array.from({ length: 50 }, (_, i) => ({ name: `step${i + 1}`, type: 'transform', params: { n: i + 1 } }));
    const created = await createWorkflow(t.http, token, { name: 'Fifty steps', trigger: { type: 'webhook' }, steps });
    const { page, errors, context } = await consoleContext(browser, t.url, token);
    await page.goto(`/workflows/${created.id}`);
    await page.getByRole('heading', { level: 1, name: 'Workflow: Fifty steps' }).waitFor();
    const items = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    await items.nth(49).waitFor();
    expect(await items.count()).toBe(50);
    await page.getByRole('button', { name: 'Edit step50' }).click();
    await page.getByRole('heading', { name: 'Step 50: step50' }).waitFor();
    await page.getByLabel('Fields to build (JSON object)').fill('{"n": 500}');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved (version 2).').waitFor();
    const saved = await t.http.get(`/api/workflows/${created.id}`, { token });
    expect(saved.body.steps[49].params).toEqual({ n: 500 });

    // Export JSON downloads the portable document.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    expect(download.suggestedFilename()).toBe('Fifty-steps.json');

    // Someone else saves meanwhile: the next save is refused (409) and offers a reload.
    expect((await t.http.put(`/api/workflows/${created.id}`, { name: 'Fifty steps (theirs)' }, { token })).status).toBe(200);
    await page.getByLabel('Description', { exact: true }).fill('mine');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this workflow' }).waitFor();

    // Leaving with unsaved changes asks first; declining stays on the page.
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('button', { name: 'Reload workflow' }).click();
    await page.getByRole('heading', { level: 1, name: 'Workflow: Fifty steps (theirs)' }).waitFor();
    expect(page.url()).toBe(`${t.url}/workflows/${created.id}`);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
