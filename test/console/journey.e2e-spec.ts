import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';
import { waitForExecution } from '../support/workflow-helpers';
import { addStep, dryRunWithSideEffects } from './builder-steps';

jest.setTimeout(180_000);

/** The upstream the workflow's http step calls: answers JSON and records what it got. */
function startFake(): Promise<{ server: Server; url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body ? JSON.parse(body) : null);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true, call: bodies.length }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies })),
  );
}

/**
 * A person's first session, through the pages only: the Dev Mode sign-in, a webhook workflow
 * built in the visual builder (transform → condition → http to a local fake), a dry run read on
 * the graph, a signing secret shown once, activation, a signed webhook call, and the run found in
 * Runs with its steps; then a schedule's next fire times in the trigger panel.
 */
describe('Console journey: from Dev Mode sign-in to a run in Runs', () => {
  let t: TestApp;
  let browser: Browser;
  let fake: Awaited<ReturnType<typeof startFake>>;

  beforeAll(async () => {
    fake = await startFake();
    t = await startTestApp({ DEV_MODE: 'true', OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((r) => fake?.server.close(r));
  });

  it('signs in with Dev Mode, builds, dry-runs, activates, receives a signed webhook and shows the run', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url);
    // Sign in: the Dev Mode button (DEV_MODE is on) lands on the dashboard.
    await page.goto('/');
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByRole('button', { name: 'Skip Login – Dev Mode' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const token = (await page.evaluate('window.localStorage.getItem("flowgate.session")')) as string;
    expect(token).toBeTruthy();

    // Workflows → New workflow → the builder.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
    await page.getByRole('link', { name: 'New workflow' }).click();
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor();
    const name = `Journey ${Date.now()}`;
    await page.getByLabel('Workflow name').fill(name);

    await addStep(page, 'Add step', 'Transform', 'shape');
    await page.getByLabel('Fields to build (JSON object)').fill('{"orderId": "{{trigger.order.id}}"}');
    await addStep(page, 'Add step', 'Condition', 'check');
    await page.getByLabel('Left value', { exact: true }).fill('{{steps.shape.orderId}}');
    await addStep(page, 'Add step', 'Connector action', 'notify');
    await page.getByLabel('method', { exact: true }).selectOption('POST');
    await page.getByRole('textbox', { name: 'url', exact: true }).fill(`${fake.url}/orders`);
    await page.getByRole('textbox', { name: 'body', exact: true }).fill('{"order": "{{steps.shape.orderId}}"}');
    await page.getByRole('button', { name: 'Edit check' }).click();
    await page.getByLabel('When does notify run?').selectOption({ label: 'Only when true' });
    await page.locator('.react-flow__edge-text', { hasText: 'true' }).first().waitFor();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await page.locator(`[data-workflow-route="${id}"]`).waitFor();
    await page.getByRole('heading', { level: 1, name: `Workflow: ${name}` }).waitFor();

    // Dry run (side effects on): each node shows its status and duration; the http step's output is the fake's answer.
    await dryRunWithSideEffects(page, '{"order": {"id": 42}}', ['shape', 'check', 'notify']);
    await page.getByRole('button', { name: 'Edit notify' }).click();
    await page.getByTestId('dry-run-output').filter({ hasText: '"received": true' }).first().waitFor();
    expect(fake.bodies).toEqual([{ order: 42 }]);

    // The trigger panel: the webhook URL, and a signing secret shown once.
    await page.getByRole('button', { name: 'Edit trigger' }).click();
    const webhookUrl = await page.getByLabel('Webhook URL').inputValue();
    expect(webhookUrl).toBe(`${t.url}/api/webhooks/${id}`);
    await page.getByRole('button', { name: 'Generate signing secret' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Webhook signing secret' });
    const secret = await secretDialog.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await secretDialog.getByRole('button', { name: 'I stored it' }).click();
    await secretDialog.waitFor({ state: 'hidden' });
    await page.getByText('Signed with X-Flowgate-Signature').waitFor();
    expect(await page.content()).not.toContain(secret);

    // Activate, then a signed webhook call runs it.
    await page.getByRole('switch', { name: /Active/ }).click();
    await page.getByText('(runs on its trigger)').waitFor();
    const raw = JSON.stringify({ order: { id: 7 } });
    const ts = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex');
    const hook = await t.http.post(`/api/webhooks/${id}`, undefined, {
      raw,
      headers: { 'content-type': 'application/json', 'x-flowgate-signature': `t=${ts},v1=${signature}` },
    });
    expect(hook.status).toBe(202);
    const executionId = hook.body.executionId as string;
    expect((await waitForExecution(t.http, token, executionId)).status).toBe('succeeded');

    // Runs: the run is listed for this workflow; its detail shows every step with input and output.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor();
    await page.getByLabel('Workflow').selectOption({ label: name });
    await page.waitForURL((u) => u.searchParams.get('workflowId') === id);
    const row = page.locator(`[data-testid="run-row"][data-run-id="${executionId}"]`);
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `Run of ${name}` }).waitFor();
    for (const heading of ['1. shape', '2. check', '3. notify']) await page.getByRole('heading', { level: 3, name: heading }).waitFor();
    await page.getByText('Output of notify').click();
    await page.getByRole('region', { name: 'Output of notify' }).filter({ hasText: '"received": true' }).waitFor();
    expect(fake.bodies).toEqual([{ order: 42 }, { order: 7 }]);
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'journey-run-detail');

    // The run's version link: after an edit, the builder says the run used an older version.
    const current = (await t.http.get(`/api/workflows/${id}`, { token })).body;
    const edited = await t.http.put(
      `/api/workflows/${id}`,
      { description: 'edited after the run', expectedVersion: current.version },
      { token },
    );
    expect(edited.status).toBe(200);
    await page.getByRole('link', { name: 'version 1' }).click();
    await page.getByText(`The run you came from used version 1; this is version ${edited.body.version}, the current one.`).waitFor();

    // The dashboard counts the run.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    // The dashboard's run count is the API's (the dev tenant is shared with other suites of the run).
    const runs = (await t.http.get('/api/dashboard', { token })).body.runs.total as number;
    expect(runs).toBeGreaterThanOrEqual(1);
    await page
      .getByTestId('stat-runs')
      .locator('.stat-value')
      .filter({ hasText: new RegExp(`^${runs.toLocaleString('en-US')}$|^${runs}$`) })
      .waitFor();

    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('a schedule shows its next five fire times, in its time zone', async () => {
    const token = (await t.http.post('/api/auth/dev-login')).body.accessToken as string;
    const { context, page, errors } = await consoleContext(browser, t.url, token);
    await page.goto('/workflows/new');
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor();
    await page.getByRole('button', { name: 'Edit trigger' }).click();
    await page.getByRole('group', { name: 'Trigger type' }).getByRole('radio', { name: 'Schedule' }).check();
    await page.getByRole('radio', { name: 'On a cron schedule' }).check();
    await page.getByLabel('Cron expression').fill('30 2 * * *');
    await page.getByLabel('Time zone').selectOption('Europe/Paris');
    const fireTimes = page.getByRole('list', { name: 'Next 5 fire times' }).getByRole('listitem');
    await fireTimes.nth(4).waitFor();
    expect(await fireTimes.count()).toBe(5);
    // Each time is 02:30 in Paris (the API's preview, in the chosen zone), with its UTC time beside it.
    for (const text of await fireTimes.allTextContents()) expect(text).toMatch(/\b0?2:30\b.*\(.* UTC\)/);
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'builder-schedule');

    // An invalid cron is shown on its field, from the API's answer.
    await page.getByLabel('Cron expression').fill('not a cron');
    await page
      .locator('.field-invalid', { has: page.getByLabel('Cron expression') })
      .locator('.field-error')
      .waitFor();
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
