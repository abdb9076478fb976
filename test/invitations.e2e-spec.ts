import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SmtpFake, startSmtpFake } from './fakes/smtp.fake';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';

const PASSWORD = 'invitee-passw0rd-long';
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

type Tenant = Awaited<ReturnType<typeof registerTenant>>;

describe('team invitations', () => {
  let t: TestApp;
  let db: DataSource;
  const issuedTokens: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t?.close());

  async function invite(token: string, email: string, role = 'member') {
    const res = await t.http.post('/api/tenants/current/invitations', { email, role }, { token });
    if (res.status === 201) issuedTokens.push(res.body.token);
    return res;
  }

  async function addMember(owner: Tenant, role: 'admin' | 'member') {
    const email = uniqueEmail(role);
    const add = await t.http.post('/api/tenants/current/members', { email, password: PASSWORD, role }, { token: owner.token });
    expect(add.status).toBe(201);
    const login = await t.http.post('/api/auth/login', { email, password: PASSWORD });
    return { id: add.body.id as string, email, token: login.body.accessToken as string };
  }

  const auditRows = (tenantId: string, targetId: string) =>
    db.query(
      `SELECT action, actor_type, actor_id, actor_email, target_type, target_id, changes::text AS changes
         FROM audit_log WHERE tenant_id = $1 AND (target_id = $2 OR changes::text LIKE '%' || $2 || '%') ORDER BY id`,
      [tenantId, targetId],
    ) as Promise<Array<Record<string, string>>>;

  it('invites, and the invitee registers by accepting: a member with the role, who then signs in', async () => {
    const owner = await registerTenant(t.http, 'Inviting Co');
    const email = uniqueEmail('invitee');
    const res = await invite(owner.token, email.toUpperCase(), 'admin');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email, role: 'admin', status: 'pending', delivery: 'not_configured', invitedBy: owner.userId });
    expect(res.body.token).toMatch(TOKEN_RE);
    // no PUBLIC_URL: the app's own origin; the token rides in the fragment
    expect(res.body.inviteUrl).toBe(`${t.url}/invitations/accept#token=${res.body.token}`);
    const ttlHours = (Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)) / 3_600_000;
    expect(Math.round(ttlHours)).toBe(72); // INVITATION_TTL_HOURS default

    const lookup = await t.http.post('/api/invitations/lookup', { token: res.body.token });
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({
      tenant: { name: 'Inviting Co', slug: expect.any(String) },
      email,
      role: 'admin',
      expiresAt: res.body.expiresAt,
    });

    const accepted = await t.http.post('/api/invitations/accept', { token: res.body.token, password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ tokenType: 'Bearer', user: { email, role: 'admin' }, tenant: { id: owner.tenantId } });
    const me = await t.http.get('/api/auth/me', { token: accepted.body.accessToken });
    expect(me.body).toMatchObject({ user: { id: accepted.body.user.id, role: 'admin' }, tenant: { id: owner.tenantId } });

    const login = await t.http.post('/api/auth/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.tenant.id).toBe(owner.tenantId);
    const members = await t.http.get('/api/tenants/current/members', { token: owner.token });
    expect(members.body.find((m: { email: string }) => m.email === email)).toMatchObject({ id: accepted.body.user.id, role: 'admin' });

    const list = await t.http.get('/api/tenants/current/invitations', { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: res.body.id,
        status: 'accepted',
        acceptedUserId: accepted.body.user.id,
        acceptedAt: expect.any(String),
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    expect(JSON.stringify(list.body)).not.toContain(sha256(res.body.token));

    // single use: the link is gone afterwards
    const again = await t.http.post('/api/invitations/accept', { token: res.body.token, password: PASSWORD });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('INVITATION_USED');
    expect((await t.http.post('/api/invitations/lookup', { token: res.body.token })).body.code).toBe('INVITATION_USED');
  });

  it('stores only the SHA-256 of the token, and audits create, accept and the new member without either', async () => {
    const owner = await registerTenant(t.http);
    const res = await invite(owner.token, uniqueEmail('hashed'));
    const token = res.body.token as string;
    const [row] = await db.query('SELECT token_hash, row_to_json(i)::text AS everything FROM invitations i WHERE id = $1', [res.body.id]);
    expect(row.token_hash).toBe(sha256(token));
    expect(row.everything).not.toContain(token);

    const accepted = await t.http.post('/api/invitations/accept', { token, password: PASSWORD });
    expect(accepted.status).toBe(200);
    const userId = accepted.body.user.id as string;
    const invitationAudit = await auditRows(owner.tenantId, res.body.id);
    expect(invitationAudit.map((r) => r.action)).toEqual(['invitation.create', 'member.add', 'invitation.accept']);
    expect(invitationAudit[0]).toMatchObject({ actor_type: 'user', actor_id: owner.userId, target_type: 'invitation' });
    for (const r of invitationAudit.slice(1))
      expect(r).toMatchObject({ actor_type: 'user', actor_id: userId, actor_email: res.body.email });
    expect(invitationAudit[1]).toMatchObject({ target_type: 'member', target_id: userId });
    expect(JSON.parse(invitationAudit[1].changes).after).toMatchObject({ email: res.body.email, role: 'member' });
    const allAudit = JSON.stringify(await db.query('SELECT * FROM audit_log WHERE tenant_id = $1', [owner.tenantId]));
    expect(allAudit).not.toContain(token);
    expect(allAudit).not.toContain(sha256(token));
  });

  it('lets an invitee with an account elsewhere accept by signing in with its password (401 with a wrong one)', async () => {
    const inviting = await registerTenant(t.http, 'Inviting');
    const elsewhere = await registerTenant(t.http, 'Elsewhere');
    const res = await invite(inviting.token, elsewhere.email, 'member');
    expect(res.status).toBe(201);

    const wrong = await t.http.post('/api/invitations/accept', { token: res.body.token, password: 'not-the-password-1' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect((await t.http.post('/api/invitations/lookup', { token: res.body.token })).status).toBe(200); // still usable

    const accepted = await t.http.post('/api/invitations/accept', { token: res.body.token, password: elsewhere.password });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ user: { email: elsewhere.email, role: 'member' }, tenant: { id: inviting.tenantId } });
    expect(accepted.body.user.id).not.toBe(elsewhere.userId); // a new membership (account) in the inviting tenant
    // the same password now opens both accounts: login asks which tenant
    const login = await t.http.post('/api/auth/login', { email: elsewhere.email, password: elsewhere.password });
    expect(login.status).toBe(409);
    expect(login.body.code).toBe('TENANT_REQUIRED');
    expect(login.body.details).toHaveLength(2);
  });

  it('lets a signed-in account with the invited email accept with just the token', async () => {
    const inviting = await registerTenant(t.http);
    const invitee = await registerTenant(t.http);
    const stranger = await registerTenant(t.http);
    const res = await invite(inviting.token, invitee.email, 'admin');

    const noPassword = await t.http.post('/api/invitations/accept', { token: res.body.token });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.details[0].field).toBe('password');
    const badBearer = await t.http.post('/api/invitations/accept', { token: res.body.token }, { token: 'not-a-jwt' });
    expect(badBearer.status).toBe(401);
    const mismatch = await t.http.post('/api/invitations/accept', { token: res.body.token }, { token: stranger.token });
    expect(mismatch.status).toBe(403);
    expect(mismatch.body.code).toBe('INVITATION_EMAIL_MISMATCH');

    const accepted = await t.http.post('/api/invitations/accept', { token: res.body.token }, { token: invitee.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ user: { email: invitee.email, role: 'admin' }, tenant: { id: inviting.tenantId } });
    // the membership signs in with the account's password
    const login = await t.http.post('/api/auth/login', {
      email: invitee.email,
      password: invitee.password,
      tenant: accepted.body.tenant.slug,
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(accepted.body.user.id);
  });

  it('answers an email with an account in another tenant exactly like one without', async () => {
    const owner = await registerTenant(t.http);
    const other = await registerTenant(t.http);
    const known = await invite(owner.token, other.email);
    const unknown = await invite(owner.token, uniqueEmail('nobody'));
    const comparable = (b: Record<string, unknown>) => {
      const { id: _id, email: _email, token: _token, inviteUrl: _url, createdAt: _c, expiresAt: _e, ...rest } = b;
      return rest;
    };
    expect(known.status).toBe(unknown.status);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(comparable(known.body)).toEqual(comparable(unknown.body));
  });

  it('refuses an email that is already a member here (409 MEMBER_EXISTS), whatever its case', async () => {
    const owner = await registerTenant(t.http);
    const res = await invite(owner.token, owner.email.toUpperCase());
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('MEMBER_EXISTS');
    // the invitee became a member another way after being invited: accepting is 409 too
    const email = uniqueEmail('later');
    const inv = await invite(owner.token, email);
    expect(
      (await t.http.post('/api/tenants/current/members', { email, password: PASSWORD, role: 'member' }, { token: owner.token })).status,
    ).toBe(201);
    const accepted = await t.http.post('/api/invitations/accept', { token: inv.body.token, password: PASSWORD });
    expect(accepted.status).toBe(409);
    expect(accepted.body.code).toBe('MEMBER_EXISTS');
  });

  it('replaces a pending invitation for the same email: the old link is revoked', async () => {
    const owner = await registerTenant(t.http);
    const email = uniqueEmail('twice');
    const first = await invite(owner.token, email);
    const second = await invite(owner.token, email, 'admin');
    expect(second.status).toBe(201);
    const old = await t.http.post('/api/invitations/accept', { token: first.body.token, password: PASSWORD });
    expect(old.status).toBe(410);
    expect(old.body.code).toBe('INVITATION_REVOKED');
    const list = await t.http.get('/api/tenants/current/invitations', { token: owner.token });
    expect(list.body.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [second.body.id, 'pending'],
      [first.body.id, 'revoked'],
    ]);
    const accepted = await t.http.post('/api/invitations/accept', { token: second.body.token, password: PASSWORD });
    expect(accepted.body.user.role).toBe('admin');
  });

  it('expires: 410 INVITATION_EXPIRED, listed as expired', async () => {
    const owner = await registerTenant(t.http);
    const res = await invite(owner.token, uniqueEmail('late'));
    await db.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [res.body.id]);
    const accept = await t.http.post('/api/invitations/accept', { token: res.body.token, password: PASSWORD });
    expect(accept.status).toBe(410);
    expect(accept.body.code).toBe('INVITATION_EXPIRED');
    expect((await t.http.post('/api/invitations/lookup', { token: res.body.token })).body.code).toBe('INVITATION_EXPIRED');
    const list = await t.http.get('/api/tenants/current/invitations', { token: owner.token });
    expect(list.body[0]).toMatchObject({ id: res.body.id, status: 'expired' });
  });

  it('revokes: the link stops working, revoking again is a no-op, an accepted one is 409', async () => {
    const owner = await registerTenant(t.http);
    const res = await invite(owner.token, uniqueEmail('revoked'));
    expect((await t.http.delete(`/api/tenants/current/invitations/${res.body.id}`, { token: owner.token })).status).toBe(204);
    const accept = await t.http.post('/api/invitations/accept', { token: res.body.token, password: PASSWORD });
    expect(accept.status).toBe(410);
    expect(accept.body.code).toBe('INVITATION_REVOKED');
    expect((await t.http.delete(`/api/tenants/current/invitations/${res.body.id}`, { token: owner.token })).status).toBe(204);
    const list = await t.http.get('/api/tenants/current/invitations', { token: owner.token });
    expect(list.body[0]).toMatchObject({ id: res.body.id, status: 'revoked', revokedAt: expect.any(String) });
    expect((await auditRows(owner.tenantId, res.body.id)).map((r) => r.action)).toEqual(['invitation.create', 'invitation.revoke']);

    const used = await invite(owner.token, uniqueEmail('used'));
    await t.http.post('/api/invitations/accept', { token: used.body.token, password: PASSWORD });
    const late = await t.http.delete(`/api/tenants/current/invitations/${used.body.id}`, { token: owner.token });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('INVITATION_ACCEPTED');
    const bad = await t.http.delete('/api/tenants/current/invitations/not-a-uuid', { token: owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('invitationId');
  });

  it("answers 404 for another tenant's invitation and leaves it working", async () => {
    const a = await registerTenant(t.http);
    const b = await registerTenant(t.http);
    const res = await invite(a.token, uniqueEmail('isolated'));
    const del = await t.http.delete(`/api/tenants/current/invitations/${res.body.id}`, { token: b.token });
    expect(del.status).toBe(404);
    expect((await t.http.get('/api/tenants/current/invitations', { token: b.token })).body).toEqual([]);
    const still = await t.http.get('/api/tenants/current/invitations', { token: a.token });
    expect(still.body[0]).toMatchObject({ id: res.body.id, status: 'pending' });
  });

  it('follows the member rules: members may not invite or list (403), only an owner invites an owner', async () => {
    const owner = await registerTenant(t.http);
    const admin = await addMember(owner, 'admin');
    const member = await addMember(owner, 'member');
    const byMember = await invite(member.token, uniqueEmail());
    expect(byMember.status).toBe(403);
    expect(byMember.body.code).toBe('ROLE_REQUIRED');
    expect((await t.http.get('/api/tenants/current/invitations', { token: member.token })).status).toBe(403);
    const ownerByAdmin = await invite(admin.token, uniqueEmail(), 'owner');
    expect(ownerByAdmin.status).toBe(403);
    expect(ownerByAdmin.body.code).toBe('OWNER_REQUIRED');
    expect((await invite(admin.token, uniqueEmail(), 'admin')).status).toBe(201);
    const ownerByOwner = await invite(owner.token, uniqueEmail(), 'owner');
    expect(ownerByOwner.status).toBe(201);
    const accepted = await t.http.post('/api/invitations/accept', { token: ownerByOwner.body.token, password: PASSWORD });
    expect(accepted.body.user.role).toBe('owner');
  });

  it('answers 404 for an unknown token and 400 naming a malformed one', async () => {
    const unknown = await t.http.post('/api/invitations/accept', { token: 'A'.repeat(43), password: PASSWORD });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('INVITATION_NOT_FOUND');
    expect((await t.http.post('/api/invitations/lookup', { token: 'B'.repeat(43) })).status).toBe(404);
    const malformed = await t.http.post('/api/invitations/lookup', { token: 'short' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details[0].field).toBe('token');
    const shortPassword = await t.http.post('/api/invitations/accept', { token: 'A'.repeat(43), password: 'short' });
    expect(shortPassword.status).toBe(400);
    expect(shortPassword.body.details[0].field).toBe('password');
    const nullPassword = await t.http.post('/api/invitations/accept', { token: 'A'.repeat(43), password: null });
    expect(nullPassword.body.details[0].field).toBe('password');
    const badChars = await t.http.post('/api/invitations/accept', { token: `${'A'.repeat(42)}!`, password: PASSWORD });
    expect(badChars.body.details[0].field).toBe('token');
    const extra = await t.http.post('/api/invitations/lookup', { token: 'A'.repeat(43), tenant: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.body.details[0].field).toBe('tenant');
  });

  it('lets exactly one of two simultaneous accepts of one link win', async () => {
    for (let round = 0; round < 5; round++) {
      const owner = await registerTenant(t.http);
      const email = uniqueEmail('race');
      const res = await invite(owner.token, email);
      const both = await Promise.all([
        t.http.post('/api/invitations/accept', { token: res.body.token, password: PASSWORD }),
        t.http.post('/api/invitations/accept', { token: res.body.token, password: `${PASSWORD}-other` }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
      expect(both.find((r) => r.status === 410)!.body.code).toBe('INVITATION_USED');
      const rows = await db.query('SELECT id FROM users WHERE tenant_id = $1 AND lower(email) = lower($2)', [owner.tenantId, email]);
      expect(rows).toHaveLength(1);
      const winner = both.find((r) => r.status === 200)!;
      expect(rows[0].id).toBe(winner.body.user.id);
      const [inv] = await db.query('SELECT accepted_user_id FROM invitations WHERE id = $1', [res.body.id]);
      expect(inv.accepted_user_id).toBe(winner.body.user.id);
    }
  });

  it('never writes an invitation token to the logs', () => {
    expect(issuedTokens.length).toBeGreaterThan(10);
    const logs = t.logs.join('\n');
    for (const token of issuedTokens) expect(logs).not.toContain(token);
  });
});

describe('team invitations by email (SMTP)', () => {
  let smtp: SmtpFake;
  let t: TestApp;
  const PUBLIC_URL = 'https://flowgate.example.test';

  beforeAll(async () => {
    smtp = await startSmtpFake();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Flowgate <invites@flowgate.example.test>',
      SMTP_TIMEOUT_MS: '2000',
      PUBLIC_URL: `${PUBLIC_URL}/`,
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.mode = 'accept';
  });

  it('emails the link through the SMTP server (signed in with AUTH), and the emailed token accepts', async () => {
    const owner = await registerTenant(t.http, 'Mailing Tenant');
    const email = uniqueEmail('mailed');
    const res = await t.http.post('/api/tenants/current/invitations', { email, role: 'member' }, { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toBe('sent');
    expect(res.body.inviteUrl).toBe(`${PUBLIC_URL}/invitations/accept#token=${res.body.token}`);

    const mail = smtp.messages.find((m) => m.envelopeTo.includes(email));
    expect(mail).toBeDefined();
    expect(mail!.authUser).toBe(smtp.user);
    expect(mail!.envelopeFrom).toBe('invites@flowgate.example.test');
    expect(mail!.headers.from).toBe('Flowgate <invites@flowgate.example.test>');
    expect(mail!.headers.to).toBe(email);
    expect(mail!.headers.subject).toBe('Invitation to join Mailing Tenant on Flowgate');
    expect(mail!.headers['content-type']).toMatch(/^multipart\/alternative/); // text and HTML
    const links = [...mail!.decoded.matchAll(/https:\/\/flowgate\.example\.test\/invitations\/accept#token=([A-Za-z0-9_-]{43})/g)].map(
      (m) => m[1],
    );
    expect(links.length).toBeGreaterThanOrEqual(2); // in the text and in the HTML part
    expect(new Set(links)).toEqual(new Set([res.body.token]));

    const accepted = await t.http.post('/api/invitations/accept', { token: links[0], password: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user.email).toBe(email);
  });

  it('keeps the invitation when the SMTP server refuses the recipient (delivery failed)', async () => {
    smtp.mode = 'refuse';
    const owner = await registerTenant(t.http);
    const email = uniqueEmail('refused');
    const res = await t.http.post('/api/tenants/current/invitations', { email, role: 'member' }, { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toBe('failed');
    expect(smtp.messages.some((m) => m.envelopeTo.includes(email))).toBe(false);
    const list = await t.http.get('/api/tenants/current/invitations', { token: owner.token });
    expect(list.body[0]).toMatchObject({ id: res.body.id, status: 'pending' });
    expect((await t.http.post('/api/invitations/lookup', { token: res.body.token })).status).toBe(200);
  });

  it('gives up on an SMTP server that never answers (bounded by SMTP_TIMEOUT_MS), keeping the invitation', async () => {
    smtp.mode = 'stall';
    const owner = await registerTenant(t.http);
    const res = await t.http.post(
      '/api/tenants/current/invitations',
      { email: uniqueEmail('stalled'), role: 'member' },
      { token: owner.token },
    );
    expect(res.status).toBe(201);
    expect(res.body.delivery).toBe('failed');
    expect((await t.http.post('/api/invitations/lookup', { token: res.body.token })).status).toBe(200);
  });

  it('never writes the SMTP password or a token to the logs or an error', async () => {
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(smtp.password);
    expect(logs).not.toMatch(/invitations\/accept#token=/);
    // a failure is logged by its SMTP code only: the refused recipient (550) and the stalled greeting
    const failures = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'invitation email not sent');
    expect(failures.map((l) => [l.smtpCode, l.responseCode, l.command])).toEqual([
      ['EENVELOPE', 550, 'RCPT TO'],
      ['ETIMEDOUT', undefined, 'CONN'],
    ]);
  });
});

describe('team invitations with a wrong SMTP password', () => {
  it('reports delivery failed, and the invitation stands', async () => {
    const smtp = await startSmtpFake();
    const t = await startTestApp({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_USER: smtp.user,
      SMTP_PASSWORD: 'wrong-smtp-Passw0rd',
      SMTP_FROM: 'invites@flowgate.example.test',
    });
    try {
      const owner = await registerTenant(t.http);
      const res = await t.http.post(
        '/api/tenants/current/invitations',
        { email: uniqueEmail('noauth'), role: 'member' },
        { token: owner.token },
      );
      expect(res.status).toBe(201);
      expect(res.body.delivery).toBe('failed');
      expect(smtp.failedLogins).toBe(1);
      expect(smtp.messages).toHaveLength(0);
      expect(t.logs.join('\n')).not.toContain('wrong-smtp-Passw0rd');
      const failure = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'invitation email not sent');
      expect(failure).toMatchObject({ smtpCode: 'EAUTH', command: expect.stringMatching(/^AUTH (PLAIN|LOGIN)$/) });
      expect(res.text).not.toContain('wrong-smtp-Passw0rd');
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
