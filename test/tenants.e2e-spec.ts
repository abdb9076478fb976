import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';

describe('tenants and members', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function addMember(token: string, role: 'owner' | 'admin' | 'member') {
    const email = uniqueEmail(role);
    const password = 'member-password-1';
    const res = await t.http.post('/api/tenants/current/members', { email, password, role }, { token });
    expect(res.status).toBe(201);
    const login = await t.http.post('/api/auth/login', { email, password });
    return { id: res.body.id as string, token: login.body.accessToken as string };
  }

  it('tenants of the same name register side by side, each with its own slug', async () => {
    const name = `Same name ${Date.now().toString(36)}`;
    const slugs: string[] = [];
    for (let i = 0; i < 20; i++) {
      const owner = await registerTenant(t.http, name);
      const tenant = await t.http.get('/api/tenants/current', { token: owner.token });
      slugs.push(tenant.body.slug as string);
    }
    expect(new Set(slugs).size).toBe(20);
  });

  it('shows the current tenant and its members', async () => {
    const owner = await registerTenant(t.http, 'Globex');
    const tenant = await t.http.get('/api/tenants/current', { token: owner.token });
    expect(tenant.body).toMatchObject({ id: owner.tenantId, name: 'Globex' });
    const members = await t.http.get('/api/tenants/current/members', { token: owner.token });
    expect(members.body).toHaveLength(1);
    expect(members.body[0]).toMatchObject({ id: owner.userId, role: 'owner' });
  });

  it('lets owners and admins add members; members may not (403)', async () => {
    const owner = await registerTenant(t.http);
    const admin = await addMember(owner.token, 'admin');
    const member = await addMember(admin.token, 'member');
    const denied = await t.http.post(
      '/api/tenants/current/members',
      { email: uniqueEmail(), password: 'password-123', role: 'member' },
      { token: member.token },
    );
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ROLE_REQUIRED');
    const list = await t.http.get('/api/tenants/current/members', { token: member.token });
    expect(list.body.map((m: { role: string }) => m.role).sort()).toEqual(['admin', 'member', 'owner']);
  });

  it('keeps ownership with owners: an admin cannot grant or change owner', async () => {
    const owner = await registerTenant(t.http);
    const admin = await addMember(owner.token, 'admin');
    const grant = await t.http.post(
      '/api/tenants/current/members',
      { email: uniqueEmail(), password: 'password-123', role: 'owner' },
      { token: admin.token },
    );
    expect(grant.status).toBe(403);
    const demote = await t.http.put(`/api/tenants/current/members/${owner.userId}/role`, { role: 'member' }, { token: admin.token });
    expect(demote.status).toBe(403);
  });

  it('changes roles, applies them to the next request, and refuses to remove the last owner', async () => {
    const owner = await registerTenant(t.http);
    const member = await addMember(owner.token, 'member');
    const promoted = await t.http.put(`/api/tenants/current/members/${member.id}/role`, { role: 'admin' }, { token: owner.token });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('admin');
    // the same token now carries admin rights because roles are read per request
    const add = await t.http.post(
      '/api/tenants/current/members',
      { email: uniqueEmail(), password: 'password-123', role: 'member' },
      { token: member.token },
    );
    expect(add.status).toBe(201);
    const lastOwner = await t.http.delete(`/api/tenants/current/members/${owner.userId}`, { token: owner.token });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.code).toBe('LAST_OWNER');
  });

  it('removes a member, whose token then stops working', async () => {
    const owner = await registerTenant(t.http);
    const member = await addMember(owner.token, 'member');
    expect((await t.http.delete(`/api/tenants/current/members/${member.id}`, { token: owner.token })).status).toBe(204);
    expect((await t.http.get('/api/auth/me', { token: member.token })).status).toBe(401);
  });

  it("answers 404 for another tenant's member on every verb and changes nothing", async () => {
    const a = await registerTenant(t.http, 'Tenant A');
    const b = await registerTenant(t.http, 'Tenant B');
    const bMember = await addMember(b.token, 'member');
    const change = await t.http.put(`/api/tenants/current/members/${bMember.id}/role`, { role: 'admin' }, { token: a.token });
    const remove = await t.http.delete(`/api/tenants/current/members/${bMember.id}`, { token: a.token });
    expect(change.status).toBe(404);
    expect(remove.status).toBe(404);
    const bList = await t.http.get('/api/tenants/current/members', { token: b.token });
    expect(bList.body.find((m: { id: string }) => m.id === bMember.id)).toMatchObject({ role: 'member' });
    const aList = await t.http.get('/api/tenants/current/members', { token: a.token });
    expect(aList.body.map((m: { id: string }) => m.id)).toEqual([a.userId]);
  });

  it('rejects a malformed member id with 400 naming the parameter', async () => {
    const owner = await registerTenant(t.http);
    const res = await t.http.delete('/api/tenants/current/members/not-a-uuid', { token: owner.token });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('userId');
  });

  describe('the last-owner rule under concurrency', () => {
    const ROUNDS = 25;

    async function twoOwners() {
      const first = await registerTenant(t.http);
      const second = await addMember(first.token, 'owner');
      return { first: { id: first.userId, token: first.token }, second };
    }

    async function owners(token: string) {
      const list = await t.http.get('/api/tenants/current/members', { token });
      return (list.body as Array<{ role: string }>).filter((m) => m.role === 'owner').length;
    }

    it.each([
      [
        'demote each other',
        (token: string, otherId: string) => t.http.put(`/api/tenants/current/members/${otherId}/role`, { role: 'member' }, { token }),
      ],
      ['remove each other', (token: string, otherId: string) => t.http.delete(`/api/tenants/current/members/${otherId}`, { token })],
    ])('two owners who %s at the same moment leave one owner, every time', async (_what, act) => {
      for (let round = 0; round < ROUNDS; round++) {
        const { first, second } = await twoOwners();
        const results = await Promise.all([act(first.token, second.id), act(second.token, first.id)]);
        const statuses = results.map((r) => r.status).sort();
        // One wins; the other is refused (409 LAST_OWNER, or 403/401 because it is no longer an owner).
        expect({ round, statuses, noServerError: statuses.every((s) => s < 500) }).toEqual({ round, statuses, noServerError: true });
        expect(results.filter((r) => r.status === 200 || r.status === 204)).toHaveLength(1);
        const loser = results.find((r) => r.status !== 200 && r.status !== 204)!;
        expect([401, 403, 409]).toContain(loser.status);
        const survivor = results[0].status < 300 ? first : second;
        expect(await owners(survivor.token)).toBe(1);
      }
    });

    it('an owner demoting themself while demoting the other owner keeps one owner, every time', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const { first, second } = await twoOwners();
        const results = await Promise.all([
          t.http.put(`/api/tenants/current/members/${first.id}/role`, { role: 'admin' }, { token: first.token }),
          t.http.put(`/api/tenants/current/members/${second.id}/role`, { role: 'admin' }, { token: second.token }),
        ]);
        expect(results.every((r) => r.status < 500)).toBe(true);
        expect(results.filter((r) => r.status === 200)).toHaveLength(1);
        expect(results.find((r) => r.status !== 200)!.body.code).toBe('LAST_OWNER');
        expect(await owners(first.token)).toBe(1);
      }
    });
  });

  describe('adding a member reveals nothing about other tenants', () => {
    const shape = (res: { status: number; body: Record<string, unknown> }) => ({
      status: res.status,
      keys: Object.keys(res.body).sort(),
      types: Object.fromEntries(Object.entries(res.body).map(([k, v]) => [k, v === null ? 'null' : typeof v])),
    });

    it('answers an email that has an account in another tenant exactly as a new one, and keeps the accounts apart', async () => {
      const other = await registerTenant(t.http, 'Other tenant');
      const otherMember = await addMember(other.token, 'member');
      const otherMemberEmail = (await t.http.get('/api/auth/me', { token: otherMember.token })).body.user.email as string;
      const owner = await registerTenant(t.http, 'Prober');

      const fresh = await t.http.post(
        '/api/tenants/current/members',
        { email: uniqueEmail('fresh'), password: 'member-password-1', role: 'member' },
        { token: owner.token },
      );
      const known = await t.http.post(
        '/api/tenants/current/members',
        { email: otherMemberEmail, password: 'prober-password-1', role: 'member' },
        { token: owner.token },
      );
      const knownOwner = await t.http.post(
        '/api/tenants/current/members',
        { email: other.email.toUpperCase(), password: 'prober-password-2', role: 'admin' },
        { token: owner.token },
      );
      expect(shape(known)).toEqual(shape(fresh));
      expect(shape(knownOwner)).toEqual(shape(fresh));
      expect(known.status).toBe(201);
      expect(known.body).not.toHaveProperty('code');
      // the new account is this tenant's own: listed here, and nothing changed in the other tenant
      const mine = (await t.http.get('/api/tenants/current/members', { token: owner.token })).body as Array<{ id: string; email: string }>;
      expect(mine.map((m) => m.id)).toEqual(expect.arrayContaining([known.body.id, knownOwner.body.id]));
      const theirs = (await t.http.get('/api/tenants/current/members', { token: other.token })).body as Array<{ id: string }>;
      expect(theirs.map((m) => m.id).sort()).toEqual([other.userId, otherMember.id].sort());
      // each password opens its own account
      const asOther = await t.http.post('/api/auth/login', { email: otherMemberEmail, password: 'member-password-1' });
      const asProber = await t.http.post('/api/auth/login', { email: otherMemberEmail, password: 'prober-password-1' });
      expect(asOther.body.tenant.id).toBe(other.tenantId);
      expect(asProber.body.tenant.id).toBe(owner.tenantId);
      // only an email already in THIS tenant is a conflict, whatever its case
      const again = await t.http.post(
        '/api/tenants/current/members',
        { email: otherMemberEmail.toUpperCase(), password: 'member-password-1', role: 'member' },
        { token: owner.token },
      );
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('MEMBER_EXISTS');
      expect(JSON.stringify(again.body)).not.toMatch(/other tenant|already exists/i);
    });

    it('is rate limited like login, per client address and per email (429 with Retry-After)', async () => {
      const limited = await startTestApp({ AUTH_RATE_LIMIT_IP_LIMIT: '4', AUTH_RATE_LIMIT_LIMIT: '2' });
      try {
        const owner = await registerTenant(limited.http, 'Limited');
        const add = (email: string) =>
          limited.http.post(
            '/api/tenants/current/members',
            { email, password: 'member-password-1', role: 'member' },
            { token: owner.token },
          );
        // per email: probing one address again and again
        const probe = uniqueEmail('probe');
        const perEmail = [await add(probe), await add(probe), await add(probe)];
        expect(perEmail.map((r) => r.status)).toEqual([201, 409, 429]);
        expect(Number(perEmail[2].headers.get('retry-after'))).toBeGreaterThan(0);
        expect(perEmail[2].body.code).toBe('RATE_LIMITED');
        // per client address: many different emails, four per window from one address
        const perAddress = [await add(uniqueEmail('a')), await add(uniqueEmail('b')), await add(uniqueEmail('c'))];
        expect(perAddress.map((r) => r.status)).toEqual([201, 429, 429]);
      } finally {
        await limited.close();
      }
    });
  });
});
