import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';

describe('auth (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_LIMIT: '5' });
  });
  afterAll(() => t.close());

  it('registers a tenant with its owner and answers token, user and tenant', async () => {
    const email = uniqueEmail();
    const res = await t.http.post('/api/auth/register', { email, password: 'long-enough-pw', tenantName: 'Acme' });
    expect(res.status).toBe(201);
    expect(res.body.accessToken).toMatch(/^eyJ/);
    expect(res.body.user).toMatchObject({ email, role: 'owner' });
    expect(res.body.tenant).toMatchObject({ name: 'Acme' });
    expect(JSON.stringify(res.body)).not.toContain('passwordHash');
  });

  it('logs in and answers /me', async () => {
    const owner = await registerTenant(t.http);
    const login = await t.http.post('/api/auth/login', { email: owner.email.toUpperCase(), password: owner.password });
    expect(login.status).toBe(200);
    const me = await t.http.get('/api/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(owner.userId);
    expect(me.body.tenant.id).toBe(owner.tenantId);
  });

  it('rejects a duplicate email with 409', async () => {
    const owner = await registerTenant(t.http);
    const res = await t.http.post('/api/auth/register', { email: owner.email, password: 'another-password', tenantName: 'Other' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'EMAIL_TAKEN' });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const owner = await registerTenant(t.http);
    const wrong = await t.http.post('/api/auth/login', { email: owner.email, password: 'not-the-password' });
    const unknown = await t.http.post('/api/auth/login', { email: uniqueEmail('nobody'), password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('names each bad field in validation errors', async () => {
    const res = await t.http.post('/api/auth/register', { email: 'not-an-email', password: 'short', tenantName: 42, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'tenantName', 'extra']));
  });

  it('rejects missing, malformed and forged tokens with 401', async () => {
    expect((await t.http.get('/api/auth/me')).body.code).toBe('TOKEN_REQUIRED');
    expect((await t.http.get('/api/auth/me', { token: 'garbage' })).status).toBe(401);
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    expect((await t.http.get('/api/auth/me', { token: forged })).status).toBe(401);
  });

  it('signs in to the account the password opens when an email has accounts in several tenants; `tenant` picks one when both open', async () => {
    const a = await registerTenant(t.http, 'Tenant A');
    const b = await registerTenant(t.http, 'Tenant B');
    const email = uniqueEmail('shared');
    const addTo = (token: string, password: string) =>
      t.http.post('/api/tenants/current/members', { email, password, role: 'member' }, { token });
    expect((await addTo(a.token, 'password-for-a-1')).status).toBe(201);
    expect((await addTo(b.token, 'password-for-b-1')).status).toBe(201);
    expect((await t.http.post('/api/auth/login', { email, password: 'password-for-a-1' })).body.tenant.id).toBe(a.tenantId);
    expect((await t.http.post('/api/auth/login', { email, password: 'password-for-b-1' })).body.tenant.id).toBe(b.tenantId);

    // the same password in two tenants: the caller holds both, so both are named
    const c = await registerTenant(t.http, 'Tenant C');
    expect((await addTo(c.token, 'password-for-a-1')).status).toBe(201);
    const both = await t.http.post('/api/auth/login', { email, password: 'password-for-a-1' });
    expect(both.status).toBe(409);
    expect(both.body.code).toBe('TENANT_REQUIRED');
    const slugs = both.body.details.map((d: { slug: string }) => d.slug);
    expect(slugs).toHaveLength(2);
    const cSlug = (await t.http.get('/api/tenants/current', { token: c.token })).body.slug;
    expect(slugs).toContain(cSlug);
    const picked = await t.http.post('/api/auth/login', { email, password: 'password-for-a-1', tenant: cSlug });
    expect(picked.status).toBe(200);
    expect(picked.body.tenant.id).toBe(c.tenantId);
    // a tenant the password does not open reads like any wrong password (five logins: the per-email budget here)
    const bSlug = (await t.http.get('/api/tenants/current', { token: b.token })).body.slug;
    const notThere = await t.http.post('/api/auth/login', { email, password: 'password-for-a-1', tenant: bSlug });
    expect(notThere.status).toBe(401);
    expect(notThere.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('rate limits login attempts with 429 and Retry-After', async () => {
    const email = uniqueEmail('bruteforce');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.http.post('/api/auth/login', { email, password: `guess-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const res = await t.http.post('/api/auth/login', { email, password: 'x' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body.code).toBe('RATE_LIMITED');
  });

  it('keys the per-address login limit on the real client: X-Forwarded-For is ignored unless TRUST_PROXY trusts the hop', async () => {
    const direct = await startTestApp({ AUTH_RATE_LIMIT_IP_LIMIT: '3' });
    const behindProxy = await startTestApp({ AUTH_RATE_LIMIT_IP_LIMIT: '3', TRUST_PROXY: '1' });
    // A new email each time, so only the per-address budget can run out.
    const attempt = async (app: TestApp, forwardedFor: string) =>
      (
        await app.http.post(
          '/api/auth/login',
          { email: uniqueEmail('spray'), password: 'guess' },
          { headers: { 'x-forwarded-for': forwardedFor } },
        )
      ).status;
    try {
      const rotating: number[] = [];
      for (let i = 0; i < 5; i++) rotating.push(await attempt(direct, `198.51.100.${i + 1}`));
      expect(rotating).toEqual([401, 401, 401, 429, 429]);

      // Behind one proxy: the client is the right-most X-Forwarded-For entry (the one the proxy added).
      const client = '203.0.113.50';
      const spoofing: number[] = [];
      for (let i = 0; i < 5; i++) spoofing.push(await attempt(behindProxy, i === 0 ? client : `192.0.2.${i}, ${client}`));
      expect(spoofing).toEqual([401, 401, 401, 429, 429]);
      expect(await attempt(behindProxy, '203.0.113.51')).toBe(401);

      // An IPv6 client owns its whole /64: new addresses inside it share one budget.
      const v6: number[] = [];
      for (let i = 1; i <= 5; i++) v6.push(await attempt(behindProxy, `2001:db8:5:6::${i.toString(16)}`));
      expect(v6).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await Promise.all([direct.close(), behindProxy.close()]);
    }
  });

  it('never writes the password to the log', async () => {
    const owner = await registerTenant(t.http);
    await t.http.post('/api/auth/login', { email: owner.email, password: owner.password });
    await t.http.post('/api/auth/login', { email: owner.email, password: 'Wr0ng-but-secret-guess' });
    const loginLines = t.logs.filter((l) => l.includes('/api/auth/login'));
    expect(loginLines.length).toBeGreaterThan(0);
    const all = t.logs.join('\n');
    expect(all).not.toContain(owner.password);
    expect(all).not.toContain('Wr0ng-but-secret-guess');
  });
});

describe('dev-login', () => {
  it('signs in as dev@flowgate.local when DEV_MODE is on, reusing the account', async () => {
    const t = await startTestApp({ DEV_MODE: 'true' });
    try {
      const a = await t.http.post('/api/auth/dev-login');
      const b = await t.http.post('/api/auth/dev-login');
      expect(a.status).toBe(200);
      expect(a.body.user.email).toBe('dev@flowgate.local');
      expect(b.body.user.id).toBe(a.body.user.id);
      expect((await t.http.get('/api/auth/me', { token: a.body.accessToken })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answers 404 when DEV_MODE is off, and in production even when it is on', async () => {
    const off = await startTestApp({ DEV_MODE: 'false' });
    try {
      expect((await off.http.post('/api/auth/dev-login')).status).toBe(404);
    } finally {
      await off.close();
    }
    const prod = await startTestApp({
      DEV_MODE: 'true',
      NODE_ENV: 'production',
      JWT_SECRET: 'a'.repeat(40),
      ENCRYPTION_KEY: 'b'.repeat(64),
    });
    try {
      expect((await prod.http.post('/api/auth/dev-login')).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
