import type { Browser, Page } from 'playwright-core';
import { startFake, type FakeServer } from '../fakes/fake-server';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp } from '../support/test-app';

const SECRET = 'fake-api-secret-token-7c1e9b';

// Connections (credentials) through the console, as an owner.
describe('console: connections', () => {
  let t: TestApp;
  let fake: FakeServer;
  let browser: Browser;
  beforeAll(async () => {
    [t, fake, browser] = await Promise.all([startTestApp(), startFake({ '* /*': () => ({ body: { ok: true } }) }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
    await t?.close();
  });

  const form = (page: Page) => page.getByRole('form', { name: 'New connection' });

  it('creates an http bearer credential, tests it and deletes it; the secret never reaches the page or storage', async () => {
    const owner = await registerTenant(t.http, 'Connections team');
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);
    await page.goto('/connections');
    await page.getByText('No connections yet').waitFor();
    expect(await axeScan(page)).toEqual([]);

    await page.getByRole('button', { name: 'New connection' }).click();
    const f = form(page);
    await f.getByLabel('Connector').selectOption('http');
    await f.getByLabel('Auth kind').selectOption('bearer');
    await f.getByLabel('token').fill(SECRET);
    await f.getByRole('textbox', { name: 'Allowed host 1' }).fill(`127.0.0.1:${fake.port}`);

    // No name: the API's error shows on the Name field.
    await f.getByRole('button', { name: 'Create connection' }).click();
    await f.locator('.field-error').filter({ hasText: 'name' }).first().waitFor();
    await expect(f.getByLabel('Name').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await axeScan(page)).toEqual([]);

    await f.getByLabel('Name').fill('Fake API');
    await f.getByRole('button', { name: 'Create connection' }).click();
    const row = page.getByRole('row', { name: /Fake API/ });
    await row.waitFor();
    await page.getByText('Saved Fake API.').waitFor();
    expect(await row.textContent()).toContain(`127.0.0.1:${fake.port}`);

    // Masked hint only: the secret is nowhere in the page or the browser's storage.
    const listed = await t.http.get('/api/credentials', { token: owner.token });
    expect(await row.textContent()).toContain(listed.body[0].hint);
    expect(await page.content()).not.toContain(SECRET);
    const stored = await page.evaluate('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])');
    expect(String(stored)).not.toContain(SECRET);

    await row.getByRole('button', { name: 'Test Fake API' }).click();
    await row.getByText('ok', { exact: true }).waitFor();
    const tested = await t.http.get(`/api/credentials/${listed.body[0].id}`, { token: owner.token });
    expect(tested.body.lastTestOk).toBe(true);
    await row.getByText(tested.body.lastTestDetail).waitFor();
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'connections');

    // Edit: rename, secrets left empty (kept).
    await row.getByRole('button', { name: 'Edit Fake API' }).click();
    const edit = page.getByRole('form', { name: 'Edit Fake API' });
    await edit.getByLabel('Name').fill('Fake API (renamed)');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const renamed = page.getByRole('row', { name: /Fake API \(renamed\)/ });
    await renamed.waitFor();
    expect((await t.http.get(`/api/credentials/${listed.body[0].id}`, { token: owner.token })).body.hint).toBe(listed.body[0].hint);

    await renamed.getByRole('button', { name: 'Delete Fake API (renamed)' }).click();
    await renamed.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('No connections yet').waitFor();
    expect((await t.http.get('/api/credentials', { token: owner.token })).body).toEqual([]);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it("a provider's form shows its schema's fields (?connector=slack) and the API's error on the secret field", async () => {
    const owner = await registerTenant(t.http, 'Slack team');
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);
    await page.goto('/connections?connector=slack');
    const f = form(page);
    await expect(f.getByLabel('Connector').inputValue()).resolves.toBe('slack');
    await expect(f.getByLabel('Auth kind').inputValue()).resolves.toBe('webhook_url');
    const secret = f.getByLabel('webhookUrl');
    await expect(secret.getAttribute('type')).resolves.toBe('password');
    await page.getByText('The secret incoming-webhook URL').waitFor();

    await f.getByLabel('Name').fill('Alerts');
    await secret.fill('not a url');
    await f.getByRole('button', { name: 'Create connection' }).click();
    await f.locator('.field-error').first().waitFor();
    await expect(secret.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await axeScan(page)).toEqual([]);

    await f.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('No connections yet').waitFor();
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
