import type { Browser } from 'playwright-core';
import { axeScan, consoleContext, launchChromium, saveScreenshot, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

// Team: roles, invitations, audit log as an owner; a member sees lists only (here and on Connections).
describe('console: team', () => {
  let t: TestApp;
  let browser: Browser;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  const memberEmail = uniqueEmail('console-member');
  const memberPassword = 'member-password-1';
  let memberId: string;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
    owner = await registerTenant(t.http, 'Team page team');
    const added = await t.http.post(
      '/api/tenants/current/members',
      { email: memberEmail, password: memberPassword, role: 'member' },
      { token: owner.token },
    );
    expect(added.status).toBe(201);
    memberId = added.body.id;
    const cred = await t.http.post(
      '/api/credentials',
      {
        name: 'Shared API',
        connectorKey: 'http',
        authKind: 'bearer',
        secrets: { token: 'team-secret-token' },
        allowedHosts: ['api.example.com'],
      },
      { token: owner.token },
    );
    expect(cred.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an owner changes a role, invites (link shown once), revokes, and reads the audit log', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);
    await page.goto('/team');
    await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
    const me = page.getByRole('row', { name: new RegExp(owner.email) });
    await me.getByText('you', { exact: true }).waitFor();
    expect(await axeScan(page)).toEqual([]);

    const role = page.getByRole('combobox', { name: `Role of ${memberEmail}` });
    await role.selectOption('admin');
    await page
      .getByRole('row', { name: new RegExp(memberEmail) })
      .getByText('Role saved')
      .waitFor();
    await expect(role.inputValue()).resolves.toBe('admin');
    const members = await t.http.get('/api/tenants/current/members', { token: owner.token });
    const changed = members.body.find((m: { id: string }) => m.id === memberId);
    expect(changed.role).toBe('admin');

    const invitee = uniqueEmail('console-invited');
    await page.getByLabel('Email to invite').fill(invitee);
    await page.getByLabel('Role for the invitee').selectOption('member');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    const link = page.getByRole('textbox', { name: 'Invitation link' });
    await link.waitFor();
    await expect(link.inputValue()).resolves.toMatch(/\/invitations\/accept#token=[A-Za-z0-9_-]{43}$/);
    await page.getByText(/No email is sent from this deployment/).waitFor();
    const pending = page.getByRole('row', { name: new RegExp(invitee) });
    await pending.waitFor();
    expect(await axeScan(page)).toEqual([]);
    await saveScreenshot(page, 'team');

    await pending.getByRole('button', { name: `Revoke invitation for ${invitee}` }).click();
    await pending.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('No pending invitations').waitFor();
    const invitations = await t.http.get('/api/tenants/current/invitations', { token: owner.token });
    expect(invitations.body.find((i: { email: string }) => i.email === invitee).status).toBe('revoked');

    // Audit log: newest first; the role change is there; the filter narrows by action prefix.
    const audit = page.getByRole('region', { name: 'Audit log' });
    await audit.getByRole('rowheader', { name: 'member.role_change' }).waitFor();
    await audit.getByLabel('Action').fill('invitation');
    await audit.getByRole('button', { name: 'Filter' }).click();
    // The unfiltered list already shows invitation rows: wait for the filtered answer to replace it.
    await audit.getByRole('rowheader', { name: 'member.role_change' }).waitFor({ state: 'detached' });
    await audit.getByRole('rowheader', { name: 'invitation.revoke' }).waitFor();
    const actions = await audit.getByRole('rowheader').allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.startsWith('invitation.'))).toBe(true);
    expect(await axeScan(page)).toEqual([]);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });

  it('a member sees no write controls on /team and /connections', async () => {
    // The member may have been made admin by the test above: set it back through the API.
    await t.http.put(`/api/tenants/current/members/${memberId}/role`, { role: 'member' }, { token: owner.token });
    const login = await t.http.post('/api/auth/login', { email: memberEmail, password: memberPassword });
    expect(login.status).toBe(200);
    const { context, page, errors } = await consoleContext(browser, t.url, login.body.accessToken);

    await page.goto('/team');
    await page.getByText('Only owners and admins can invite people or change roles.').waitFor();
    await page.getByRole('row', { name: new RegExp(owner.email) }).waitFor();
    await page
      .getByRole('row', { name: new RegExp(memberEmail) })
      .getByText('you', { exact: true })
      .waitFor();
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Remove|Revoke|Send invitation|Invite/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Audit log' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Invite someone' }).count()).toBe(0);
    expect(await axeScan(page)).toEqual([]);

    await page.getByRole('link', { name: 'Connections' }).click();
    const row = page.getByRole('row', { name: /Shared API/ });
    await row.waitFor();
    await page.getByText('Only owners and admins can add or change connections.').waitFor();
    expect(await page.getByRole('button', { name: /New connection|Test|Edit|Delete/ }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    expect(await axeScan(page)).toEqual([]);
    expect(unexpectedErrors(errors)).toEqual([]);
    await context.close();
  });
});
