import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

// Sign in, register, dev mode, the 401 handling and invitation acceptance, through the console.
describe('console: access (sign in, register, invitation)', () => {
  let t: TestApp;
  let noDev: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    // Passport keeps one "jwt" strategy per process: two apps in one process must share the
    // secret, or the app started last decides which tokens both accept.
    const JWT_SECRET = randomBytes(32).toString('hex');
    [t, noDev, browser] = await Promise.all([
      startTestApp({ DEV_MODE: 'true', JWT_SECRET }),
      startTestApp({ DEV_MODE: 'false', JWT_SECRET }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([t?.close(), noDev?.close()]);
  });

  it('with DEV_MODE on, "Skip Login – Dev Mode" signs in and lands on /', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url);
    await page.goto('/login');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Skip Login – Dev Mode' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('with DEV_MODE off the Dev Mode button is absent; the sign-in page passes axe', async () => {
    const { context, page, errors } = await consoleContext(browser, noDev.url);
    // The button's absence means something only once the page has the server's answer.
    const options = page.waitForResponse((r) => r.url().endsWith('/api/auth/options') && r.ok());
    await page.goto('/login');
    await options;
    await page.getByRole('link', { name: 'Create an account' }).waitFor();
    expect(await page.getByRole('button', { name: 'Skip Login – Dev Mode' }).count()).toBe(0);
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'login');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('registers through the form, signs out, and signs in again (wrong password first)', async () => {
    const { context, page, errors } = await consoleContext(browser, noDev.url);
    const email = uniqueEmail('console-register');
    const password = 'console-pass-123';
    await page.goto('/register');
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();

    // The API's field errors land on their fields.
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('password must be longer than or equal to 8 characters', { exact: true }).waitFor();
    await expect(page.getByLabel('Password').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('Email').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText('Some fields need a change: see the messages below them.').waitFor();
    expect(await axeScan(page)).toEqual([]);

    await page.goto('/register');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Team name').fill('Console Register Co');
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'register');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByText(email).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('a stored invalid token sends any page to /login with the session-ended message, then back after sign-in', async () => {
    const owner = await registerTenant(noDev.http, 'Expired session team');
    const { context, page, errors } = await consoleContext(browser, noDev.url, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    await page.goto('/team');
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/login');
    expect(url.searchParams.get('next')).toBe('/team');
    expect(await axeScan(page)).toEqual([]);

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/team');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('accepts an invitation link end to end: the token leaves the address bar, the invitee is signed in', async () => {
    const owner = await registerTenant(noDev.http, 'Inviting team');
    const email = uniqueEmail('console-invitee');
    const created = await noDev.http.post('/api/tenants/current/invitations', { email, role: 'admin' }, { token: owner.token });
    expect(created.status).toBe(201);
    const link = new URL(created.body.inviteUrl as string);
    expect(link.hash).toMatch(/^#token=/);

    const { context, page, errors } = await consoleContext(browser, noDev.url);
    await page.goto(link.pathname + link.hash);
    await page.getByRole('heading', { level: 1, name: 'Join Inviting team' }).waitFor();
    expect(page.url()).not.toContain('#');
    expect(page.url()).not.toContain(created.body.token);
    await page.getByText(email).waitFor();
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'invitation');

    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByText('password must be longer than or equal to 8 characters', { exact: true }).waitFor();
    await expect(page.getByLabel('Password').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Password').fill('invitee-password-1');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByText(email).waitFor();
    expect(unexpectedErrors(errors)).toEqual([]);

    // The same link again: used, said plainly.
    const again = await context.newPage();
    await again.goto(link.pathname + link.hash);
    await again.getByText('This invitation has already been accepted. Sign in instead.').waitFor();
    expect(await axeScan(again)).toEqual([]);
    await context.close();
  });
  it('an invitation opened while signed in as another account asks to sign out first', async () => {
    const owner = await registerTenant(noDev.http, 'Second inviting team');
    const email = uniqueEmail('console-other');
    const created = await noDev.http.post('/api/tenants/current/invitations', { email, role: 'member' }, { token: owner.token });
    const link = new URL(created.body.inviteUrl as string);
    const { context, page, errors } = await consoleContext(browser, noDev.url, owner.token);
    await page.goto(link.pathname + link.hash);
    await page.getByText(`This invitation is for ${email}, but you are signed in as ${owner.email}.`).waitFor();
    expect(page.url()).not.toContain('#');
    expect(await axeScan(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Accept invitation' }).waitFor();
    await page.getByLabel('Password').fill('other-password-1');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText(email).waitFor();
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
  it('asks which team when the email and password open accounts in several (409 TENANT_REQUIRED)', async () => {
    const [a, b] = await Promise.all([registerTenant(noDev.http, 'Team Alpha'), registerTenant(noDev.http, 'Team Beta')]);
    const email = uniqueEmail('console-shared');
    const password = 'shared-password-1';
    for (const owner of [a, b]) {
      const added = await noDev.http.post('/api/tenants/current/members', { email, password, role: 'member' }, { token: owner.token });
      expect(added.status).toBe(201);
    }
    const betaSlug = (await noDev.http.get('/api/tenants/current', { token: b.token })).body.slug as string;
    const { context, page, errors } = await consoleContext(browser, noDev.url);
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const team = page.getByRole('combobox', { name: 'Team' });
    await team.waitFor();
    expect(await axeScan(page)).toEqual([]);
    await team.selectOption(betaSlug);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Team Beta').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
