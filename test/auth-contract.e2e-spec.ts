import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';

type Schema = { properties?: Record<string, { example?: unknown }> };
type Op = {
  requestBody?: { content: { 'application/json': { schema: { $ref?: string }; examples?: Record<string, { value: unknown }> } } };
};

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, Schema> };
};

/** What Swagger UI's "Try it out" sends: the media type's first example, else the properties' examples. */
function exampleBody(path: string, method: string): Record<string, unknown> {
  const media = doc.paths[path][method].requestBody!.content['application/json'];
  if (media.examples) return Object.values(media.examples)[0].value as Record<string, unknown>;
  const schema = doc.components.schemas[media.schema.$ref!.split('/').pop()!];
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, p]) => [k, p.example]));
}

const fieldsOf = (body: { details?: Array<{ field?: string }> }) => (body.details ?? []).map((d) => d.field);

describe('auth and tenants: examples work as sent from Swagger UI', () => {
  let db: PrivateDatabase;
  let t: TestApp;
  beforeAll(async () => {
    // A database of its own: the example account must be new, whatever other spec files registered.
    db = await createPrivateDatabase('auth_examples');
    t = await startTestApp({ DATABASE_URL: db.url, AUTH_RATE_LIMIT_LIMIT: '100000' });
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('registers with the example, refuses it a second time (409), signs in with the login example and adds and promotes the example member', async () => {
    const register = exampleBody('/api/auth/register', 'post');
    const created = await t.http.post('/api/auth/register', register);
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: register.email, role: 'owner', lastLoginAt: null });
    expect(created.body.expiresIn).toEqual(expect.any(Number));
    expect(Number.isInteger(created.body.expiresIn)).toBe(true);
    expect((await t.http.post('/api/auth/register', register)).body.code).toBe('EMAIL_TAKEN');

    const login = exampleBody('/api/auth/login', 'post');
    expect(login).not.toHaveProperty('tenant'); // an invented slug would make the example fail
    const signedIn = await t.http.post('/api/auth/login', login);
    expect(signedIn.status).toBe(200);
    const token = signedIn.body.accessToken as string;
    expect((await t.http.get('/api/auth/me', { token })).body.user.lastLoginAt).toEqual(expect.any(String));

    const added = await t.http.post('/api/tenants/current/members', exampleBody('/api/tenants/current/members', 'post'), { token });
    expect(added.status).toBe(201);
    expect(
      (await t.http.post('/api/tenants/current/members', exampleBody('/api/tenants/current/members', 'post'), { token })).body.code,
    ).toBe('MEMBER_EXISTS');
    const promoted = await t.http.put(
      `/api/tenants/current/members/${added.body.id}/role`,
      exampleBody('/api/tenants/current/members/{userId}/role', 'put'),
      { token },
    );
    expect(promoted.status).toBe(200);
  });
});

describe('auth and tenants: what the document refuses, the server refuses with 400 naming the field', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_LIMIT: '100000' });
    owner = await registerTenant(t.http);
  });
  afterAll(() => t.close());

  const good = () => ({ email: uniqueEmail('strict'), password: 'long-enough-pw', tenantName: 'Strict' });

  it.each([
    ['email', 'a number', { email: 42 }],
    ['email', 'over 254 characters', { email: 'a'.repeat(250) + '@example.com' }],
    ['password', 'a number', { password: 12345678 }],
    ['password', 'over 128 characters', { password: 'x'.repeat(129) }],
    ['tenantName', 'a number', { tenantName: 42 }],
    ['tenantName', 'empty', { tenantName: '' }],
    ['tenantName', 'over 120 characters', { tenantName: 'x'.repeat(121) }],
    ['role', 'not a property', { role: 'owner' }],
  ])('register: %s %s', async (field, _case, change) => {
    const res = await t.http.post('/api/auth/register', { ...good(), ...change });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res.body)).toContain(field);
  });

  it.each([
    ['tenant', 'null', { tenant: null }],
    ['tenant', 'a number', { tenant: 7 }],
    ['tenant', 'empty', { tenant: '' }],
    ['tenant', 'over 140 characters', { tenant: 'x'.repeat(141) }],
    ['password', 'empty', { password: '' }],
    ['password', 'an array', { password: ['long-enough-pw'] }],
    ['remember', 'not a property', { remember: true }],
  ])('login: %s %s', async (field, _case, change) => {
    const res = await t.http.post('/api/auth/login', { email: owner.email, password: owner.password, ...change });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it.each([
    ['role', 'not a role', { role: 'boss' }],
    ['role', 'a number', { role: 1 }],
    ['email', 'not an email', { email: 'not-an-email' }],
    ['password', 'under 8 characters', { password: 'short' }],
    ['tenantId', 'not a property', { tenantId: '00000000-0000-4000-8000-000000000000' }],
  ])('add member: %s %s', async (field, _case, change) => {
    const res = await t.http.post(
      '/api/tenants/current/members',
      { email: uniqueEmail('member'), password: 'long-enough-pw', role: 'member', ...change },
      { token: owner.token },
    );
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it.each([
    ['role', 'missing', {}],
    ['role', 'not a role (case matters)', { role: 'OWNER' }],
    ['role', 'null', { role: null }],
    ['email', 'not a property', { role: 'admin', email: 'x@example.com' }],
  ])('change role: %s %s', async (field, _case, body) => {
    const res = await t.http.put(`/api/tenants/current/members/${owner.userId}/role`, body, { token: owner.token });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it.each([
    ['status', 'not a status', { status: 'nope' }],
    ['page', 'below 1', { page: '0' }],
    ['limit', 'a fraction', { limit: '1.5' }],
  ])('admin tokens: %s %s', async (field, _case, query) => {
    const res = await t.http.get('/api/admin/tokens', { query, headers: { 'x-admin-token': 'test-admin-token-0123456789' } });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });
});
