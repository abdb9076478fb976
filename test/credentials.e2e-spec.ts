import { DataSource } from 'typeorm';
import { DiscordFake, startDiscordFake } from './fakes/discord.fake';
import { OPENWEATHER_API_KEY, OPENWEATHER_UNAVAILABLE, startOpenWeatherFake } from './fakes/openweather.fake';
import { FakeServer } from './fakes/fake-server';
import { SlackFake, startSlackFake } from './fakes/slack.fake';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';

type Owner = Awaited<ReturnType<typeof registerTenant>>;

describe('credentials (HTTP, PostgreSQL, encryption at rest)', () => {
  let t: TestApp;
  let slack: SlackFake;
  let discord: DiscordFake;
  let weather: FakeServer;
  let owner: Owner;

  beforeAll(async () => {
    [slack, discord, weather] = await Promise.all([startSlackFake(), startDiscordFake(), startOpenWeatherFake()]);
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1', OPENWEATHER_BASE_URL: weather.url, OUTBOUND_TIMEOUT_MS: '3000' });
    owner = await registerTenant(t.http);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([slack.close(), discord.close(), weather.close()]);
  });

  const create = (token: string, body: Record<string, unknown>) => t.http.post('/api/credentials', body, { token });
  const slackBody = (name = `Slack ${Math.random()}`) => ({
    name,
    connectorKey: 'slack',
    authKind: 'webhook_url',
    secrets: { webhookUrl: slack.webhookUrl('live') },
  });

  it('creates, lists, reads, renames and deletes a credential, showing only a masked hint', async () => {
    const created = await create(owner.token, slackBody('Team Slack'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Team Slack',
      connectorKey: 'slack',
      authKind: 'webhook_url',
      hint: `127.0.0.1:${slack.port}/…`,
      lastTestOk: null,
    });
    expect(created.body.keyId).toMatch(/^[0-9a-f]{8}$/);
    const id = created.body.id;

    const list = await t.http.get('/api/credentials', { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.map((c: { id: string }) => c.id)).toContain(id);
    const filtered = await t.http.get('/api/credentials', { token: owner.token, query: { connectorKey: 'discord' } });
    expect(filtered.body.map((c: { id: string }) => c.id)).not.toContain(id);

    expect((await t.http.get(`/api/credentials/${id}`, { token: owner.token })).body).toMatchObject({ id, name: 'Team Slack' });
    const renamed = await t.http.put(`/api/credentials/${id}`, { name: 'Ops Slack' }, { token: owner.token });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'Ops Slack', hint: created.body.hint });

    expect((await t.http.delete(`/api/credentials/${id}`, { token: owner.token })).status).toBe(204);
    expect((await t.http.get(`/api/credentials/${id}`, { token: owner.token })).status).toBe(404);
  });

  it('never returns, logs or stores the secret in clear; the column holds AES-GCM ciphertext', async () => {
    const apiKey = `owm-secret-${Date.now()}-abcdef123456`;
    const created = await create(owner.token, {
      name: 'Weather key',
      connectorKey: 'openweather',
      authKind: 'api_key',
      secrets: { apiKey },
    });
    expect(created.status).toBe(201);
    expect(created.body.hint).toBe(`…${apiKey.slice(-4)}`);
    const responses = [
      created,
      await t.http.get('/api/credentials', { token: owner.token }),
      await t.http.get(`/api/credentials/${created.body.id}`, { token: owner.token }),
      await t.http.put(`/api/credentials/${created.body.id}`, { name: 'Weather key 2' }, { token: owner.token }),
      await t.http.post(`/api/credentials/${created.body.id}/test`, undefined, { token: owner.token }),
    ];
    for (const res of responses) expect(res.text).not.toContain(apiKey);
    expect(t.logs.join('\n')).not.toContain(apiKey);

    const rows = await t.app.get(DataSource).query('SELECT * FROM credentials WHERE id = $1', [created.body.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(apiKey);
    expect(rows[0].ciphertext).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(rows[0].key_id).toBe(created.body.keyId);
  });

  it('binds the ciphertext to its row: copied into another row it no longer decrypts', async () => {
    const a = await create(owner.token, {
      name: `A ${Date.now()}`,
      connectorKey: 'openweather',
      authKind: 'api_key',
      secrets: { apiKey: OPENWEATHER_API_KEY },
    });
    const b = await create(owner.token, {
      name: `B ${Date.now()}`,
      connectorKey: 'openweather',
      authKind: 'api_key',
      secrets: { apiKey: 'another-key-0123456789' },
    });
    const db = t.app.get(DataSource);
    await db.query('UPDATE credentials SET ciphertext = (SELECT ciphertext FROM credentials WHERE id = $1) WHERE id = $2', [
      a.body.id,
      b.body.id,
    ]);
    const res = await t.http.post(`/api/credentials/${b.body.id}/test`, undefined, { token: owner.token });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('CREDENTIAL_UNREADABLE');
    expect(res.text).not.toContain(OPENWEATHER_API_KEY);
  });

  it('validates the body and the secrets against the connector, naming each field', async () => {
    const unknown = await create(owner.token, { name: 'x', connectorKey: 'nope', authKind: 'api_key', secrets: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([{ field: 'connectorKey', message: 'unknown connector "nope"' }]);

    const kind = await create(owner.token, { name: 'x', connectorKey: 'slack', authKind: 'bearer', secrets: { token: 'abc' } });
    expect(kind.body.details).toEqual([{ field: 'authKind', message: 'must be one of: webhook_url (for Slack)' }]);

    const secrets = await create(owner.token, {
      name: 'x',
      connectorKey: 'slack',
      authKind: 'webhook_url',
      secrets: { webhookUrl: 'not a url', extra: 'x' },
    });
    expect(secrets.status).toBe(400);
    const fields = secrets.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['secrets.webhookUrl', 'secrets.extra']));
    expect(secrets.text).not.toContain('not a url');

    const missing = await create(owner.token, { name: 'x', connectorKey: 'http', authKind: 'basic', secrets: { username: 'u' } });
    expect(missing.body.details).toEqual([{ field: 'secrets.password', message: 'is required' }]);

    const none = await create(owner.token, { name: 'x', connectorKey: 'swapi', authKind: 'none', secrets: {} });
    expect(none.body.details).toEqual([{ field: 'connectorKey', message: expect.stringContaining('needs no credential') }]);

    const nul = await create(owner.token, { ...slackBody(), name: 'bad\u0000name' });
    expect(nul.status).toBe(400);
    expect(nul.body.details).toEqual([{ field: 'name', message: 'name must not contain control characters' }]);
    const badFilter = await t.http.get('/api/credentials', { token: owner.token, query: { connectorKey: '\u0000' } });
    expect(badFilter.status).toBe(400);

    const dto = await create(owner.token, { name: '', connectorKey: 'slack', secrets: 'x', extra: 1 });
    expect(dto.status).toBe(400);
    expect(dto.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['name', 'authKind', 'secrets', 'extra']),
    );
  });

  it('answers 409 for a duplicate name in the same tenant (case-insensitive), not across tenants', async () => {
    const name = `Dup ${Date.now()}`;
    expect((await create(owner.token, slackBody(name))).status).toBe(201);
    const dup = await create(owner.token, slackBody(name.toUpperCase()));
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('CREDENTIAL_NAME_TAKEN');
    const other = await registerTenant(t.http);
    expect((await create(other.token, slackBody(name))).status).toBe(201);
  });

  it('replaces secrets on PUT (new hint, new ciphertext, test result reset) and needs secrets to change kind', async () => {
    const created = await create(owner.token, {
      name: `Http ${Date.now()}`,
      connectorKey: 'http',
      authKind: 'bearer',
      secrets: { token: 'first-token-0123456789' },
      allowedHosts: ['api.example.com'],
    });
    const before = await t.app.get(DataSource).query('SELECT ciphertext FROM credentials WHERE id = $1', [created.body.id]);
    expect((await t.http.post(`/api/credentials/${created.body.id}/test`, undefined, { token: owner.token })).body.ok).toBe(true);
    const kindOnly = await t.http.put(`/api/credentials/${created.body.id}`, { authKind: 'basic' }, { token: owner.token });
    expect(kindOnly.status).toBe(400);
    expect(kindOnly.body.details).toEqual([{ field: 'secrets', message: 'secrets are required when authKind changes' }]);
    const replaced = await t.http.put(
      `/api/credentials/${created.body.id}`,
      { authKind: 'header', secrets: { headerName: 'X-Api-Key', headerValue: 'second-secret-0123456789' } },
      { token: owner.token },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ authKind: 'header', hint: 'X-Api-Key: …6789', lastTestOk: null, lastTestedAt: null });
    const after = await t.app.get(DataSource).query('SELECT ciphertext FROM credentials WHERE id = $1', [created.body.id]);
    expect(after[0].ciphertext).not.toBe(before[0].ciphertext);
    expect(replaced.text).not.toContain('second-secret');
  });

  it('lets members read and test but only owners/admins write', async () => {
    const email = uniqueEmail('member');
    await t.http.post('/api/tenants/current/members', { email, password: 'member-password-1', role: 'member' }, { token: owner.token });
    const member = (await t.http.post('/api/auth/login', { email, password: 'member-password-1' })).body.accessToken as string;
    expect((await create(member, slackBody())).status).toBe(403);
    const cred = await create(owner.token, slackBody());
    expect((await t.http.get(`/api/credentials/${cred.body.id}`, { token: member })).status).toBe(200);
    expect((await t.http.delete(`/api/credentials/${cred.body.id}`, { token: member })).status).toBe(403);
  });

  it("answers 404 on every verb for another tenant's credential, and changes nothing", async () => {
    const cred = await create(owner.token, slackBody());
    const other = await registerTenant(t.http);
    const id = cred.body.id;
    const answers = [
      await t.http.get(`/api/credentials/${id}`, { token: other.token }),
      await t.http.put(`/api/credentials/${id}`, { name: 'stolen' }, { token: other.token }),
      await t.http.put(`/api/credentials/${id}`, { secrets: { webhookUrl: 'https://evil.example/x' } }, { token: other.token }),
      await t.http.post(`/api/credentials/${id}/test`, undefined, { token: other.token }),
      await t.http.delete(`/api/credentials/${id}`, { token: other.token }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('Credential not found');
    }
    expect((await t.http.get('/api/credentials', { token: other.token })).body.map((c: { id: string }) => c.id)).not.toContain(id);
    const mine = await t.http.get(`/api/credentials/${id}`, { token: owner.token });
    expect(mine.body.name).toBe(cred.body.name);
    expect(mine.body.hint).toBe(cred.body.hint);
    expect((await t.http.get('/api/credentials/not-a-uuid', { token: other.token })).status).toBe(400);
  });

  describe('POST /api/credentials/:id/test against the fakes', () => {
    const test = (id: string) => t.http.post(`/api/credentials/${id}/test`, undefined, { token: owner.token });

    it('Slack: a live webhook is ok without posting anything; a revoked one is not, with the reason', async () => {
      const live = await create(owner.token, slackBody());
      slack.messages.length = 0;
      const ok = await test(live.body.id);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ ok: true, detail: 'Webhook URL is live (checked with an empty message; nothing was posted)' });
      expect(slack.messages).toHaveLength(0);
      const after = await t.http.get(`/api/credentials/${live.body.id}`, { token: owner.token });
      expect(after.body).toMatchObject({ lastTestOk: true, lastTestDetail: ok.body.detail });
      expect(after.body.lastTestedAt).not.toBeNull();

      const revoked = await create(owner.token, { ...slackBody(), secrets: { webhookUrl: slack.webhookUrl('revoked') } });
      const bad = await test(revoked.body.id);
      expect(bad.status).toBe(200);
      expect(bad.body).toEqual({ ok: false, detail: 'Slack: the webhook URL is no longer valid (invalid_token) (403)' });
      expect(bad.text).not.toContain('revokedToken');
    });

    it('Discord: reads the webhook; a wrong token is refused', async () => {
      const live = await create(owner.token, {
        name: `D ${Date.now()}`,
        connectorKey: 'discord',
        authKind: 'webhook_url',
        secrets: { webhookUrl: discord.webhookUrl() },
      });
      expect((await test(live.body.id)).body).toEqual({ ok: true, detail: 'Webhook "Flowgate alerts" is live' });
      const bad = await create(owner.token, {
        name: `D2 ${Date.now()}`,
        connectorKey: 'discord',
        authKind: 'webhook_url',
        secrets: { webhookUrl: discord.webhookUrl('bad-token') },
      });
      expect((await test(bad.body.id)).body).toEqual({ ok: false, detail: 'Discord: Invalid Webhook Token (code 50027) (401)' });
    });

    it('OpenWeather: a good key is ok, a wrong key is not; a provider outage is a 502 and is not recorded', async () => {
      const good = await create(owner.token, {
        name: `W ${Date.now()}`,
        connectorKey: 'openweather',
        authKind: 'api_key',
        secrets: { apiKey: OPENWEATHER_API_KEY },
      });
      expect((await test(good.body.id)).body).toEqual({ ok: true, detail: 'API key accepted' });
      const wrong = await create(owner.token, {
        name: `W2 ${Date.now()}`,
        connectorKey: 'openweather',
        authKind: 'api_key',
        secrets: { apiKey: 'wrong-key-0123456789' },
      });
      const refused = await test(wrong.body.id);
      expect(refused.body.ok).toBe(false);
      expect(refused.body.detail).toMatch(/^OpenWeather: Invalid API key\. .*\(401\)$/);

      weather.failNext(OPENWEATHER_UNAVAILABLE);
      const outage = await test(good.body.id);
      expect(outage.status).toBe(502);
      expect(outage.body).toMatchObject({
        code: 'CREDENTIAL_TEST_UNAVAILABLE',
        message: 'Could not check the credential: OpenWeather: Service Unavailable (503)',
      });
      expect((await t.http.get(`/api/credentials/${good.body.id}`, { token: owner.token })).body.lastTestOk).toBe(true);
    });

    it('HTTP credentials (no provider to ask) get the documented minimal check', async () => {
      const cred = await create(owner.token, {
        name: `H ${Date.now()}`,
        connectorKey: 'http',
        authKind: 'bearer',
        secrets: { token: 'tok-0123456789abcdef' },
        allowedHosts: ['api.example.com'],
      });
      expect((await test(cred.body.id)).body).toEqual({ ok: true, detail: expect.stringContaining('Stored and decryptable') });
    });
  });
});

describe('credentials test endpoint with the default SSRF guard', () => {
  let t: TestApp;
  let slack: SlackFake;
  beforeAll(async () => {
    slack = await startSlackFake();
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '' });
  });
  afterAll(async () => {
    await t.close();
    await slack.close();
  });

  it('refuses a webhook URL on loopback and says how to allow it, without the URL', async () => {
    const owner = await registerTenant(t.http);
    const cred = await t.http.post(
      '/api/credentials',
      { name: 'Local', connectorKey: 'slack', authKind: 'webhook_url', secrets: { webhookUrl: slack.webhookUrl('live') } },
      { token: owner.token },
    );
    const res = await t.http.post(`/api/credentials/${cred.body.id}/test`, undefined, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: false,
      detail: 'Blocked outbound request to 127.0.0.1: loopback address (set OUTBOUND_ALLOW_HOSTS to allow)',
    });
    expect(slack.requests).toHaveLength(0);
  });
});
