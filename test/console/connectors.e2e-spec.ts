import type { Browser } from 'playwright-core';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

interface ConnectorBody {
  key: string;
  name: string;
  actions: Array<{ key: string; name: string; input: { properties?: Record<string, unknown> } }>;
}

describe('console: connectors catalogue (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let token: string;
  let catalog: ConnectorBody[];

  beforeAll(async () => {
    t = await startTestApp();
    token = (await registerTenant(t.http, 'Catalogue')).token;
    catalog = (await t.http.get('/api/connectors', { token })).body;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists every connector the API has, filters by search, and shows an action inputs', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url, token);
    await page.goto('/connectors');
    await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
    await page.getByText(`${catalog.length} of ${catalog.length} connectors`).waitFor();
    for (const c of catalog) {
      await page.getByRole('article', { name: c.name, exact: true }).waitFor();
    }
    expect(await page.getByRole('article').count()).toBe(catalog.length);
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'connectors');

    // Search: by key narrows to the HTTP connector; nonsense shows the empty state.
    const search = page.getByLabel('Search connectors');
    await search.fill('http');
    await page.getByRole('article', { name: 'HTTP', exact: true }).waitFor();
    const shown = await page.getByRole('article').count();
    expect(shown).toBeLessThan(catalog.length);
    await search.fill('no-such-connector-zzz');
    await page.getByText('No connector matches').waitFor();
    expect(await page.getByRole('article').count()).toBe(0);
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.getByText(`${catalog.length} of ${catalog.length} connectors`).waitFor();

    // Detail: the HTTP connector's request action, its input fields as a table.
    await page.getByRole('link', { name: 'View details of HTTP' }).click();
    await page.waitForURL(/\/connectors\?key=http$/);
    await page.getByRole('heading', { level: 2, name: 'HTTP' }).waitFor();
    const http = catalog.find((c) => c.key === 'http')!;
    const request = http.actions.find((a) => a.key === 'request')!;
    await page.getByRole('heading', { level: 4, name: request.name }).waitFor();
    const inputs = page.getByRole('table', { name: `Input fields of HTTP ${request.name}` });
    for (const field of Object.keys(request.input.properties ?? {})) {
      await inputs.getByRole('rowheader', { name: field, exact: true }).waitFor();
    }
    await inputs.getByRole('row', { name: /^url/ }).getByText('Required').waitFor();
    expect(await page.getByRole('link', { name: 'Create a connection' }).getAttribute('href')).toBe('/connections?connector=http');
    await page.getByRole('heading', { level: 3, name: 'Credential kinds' }).waitFor();
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'connector-detail');

    // An unknown key: the API's 404, said on the page.
    await page.goto('/connectors?key=nope');
    await page.getByRole('alert').getByText('This no longer exists').waitFor();

    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('offers a member no "Create a connection" (only owners and admins store credentials)', async () => {
    const email = uniqueEmail('member');
    const password = 'Member-passw0rd-1';
    const added = await t.http.post('/api/tenants/current/members', { email, password, role: 'member' }, { token });
    expect(added.status).toBe(201);
    const memberToken = (await t.http.post('/api/auth/login', { email, password })).body.accessToken as string;
    const { context, page, errors } = await consoleContext(browser, t.url, memberToken);
    await page.goto('/connectors?key=http');
    await page.getByRole('heading', { level: 2, name: 'HTTP' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Credential kinds' }).waitFor();
    expect(await page.getByRole('link', { name: 'Create a connection' }).count()).toBe(0);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
