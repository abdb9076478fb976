import { ConnectorInvoker, InvokeRequest } from '../src/modules/connectors/connector-invoker';
import { DISCORD_RATE_LIMITED, DiscordFake, startDiscordFake } from './fakes/discord.fake';
import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { OPENWEATHER_API_KEY, OPENWEATHER_RATE_LIMITED, startOpenWeatherFake } from './fakes/openweather.fake';
import { SLACK_RATE_LIMITED, SLACK_UNAVAILABLE, SlackFake, startSlackFake } from './fakes/slack.fake';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { failure } from './support/connector-failure';

type Owner = Awaited<ReturnType<typeof registerTenant>>;

describe('connectors: catalogue and invoker against the fakes', () => {
  let t: TestApp;
  let slack: SlackFake;
  let discord: DiscordFake;
  let weather: FakeServer;
  let echo: FakeServer;
  let owner: Owner;
  let invoker: ConnectorInvoker;
  const creds: Record<string, string> = {};

  const credential = async (name: string, connectorKey: string, authKind: string, secrets: Record<string, string>) => {
    // Generic (http) credentials name their hosts: the local fakes.
    const allowedHosts = connectorKey === 'http' ? ['127.0.0.1'] : undefined;
    const res = await t.http.post('/api/credentials', { name, connectorKey, authKind, secrets, allowedHosts }, { token: owner.token });
    if (res.status !== 201) throw new Error(`credential ${name}: ${res.status} ${res.text}`);
    return res.body.id as string;
  };
  const invoke = (req: Omit<InvokeRequest, 'tenantId'> & { tenantId?: string }) => invoker.invoke({ tenantId: owner.tenantId, ...req });

  beforeAll(async () => {
    [slack, discord, weather, echo] = await Promise.all([startSlackFake(), startDiscordFake(), startOpenWeatherFake(), startEchoFake()]);
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1', OPENWEATHER_BASE_URL: weather.url });
    owner = await registerTenant(t.http);
    invoker = t.app.get(ConnectorInvoker);
    creds.slack = await credential('Slack live', 'slack', 'webhook_url', { webhookUrl: slack.webhookUrl('live') });
    creds.slackArchived = await credential('Slack archived', 'slack', 'webhook_url', { webhookUrl: slack.webhookUrl('archived') });
    creds.discord = await credential('Discord', 'discord', 'webhook_url', { webhookUrl: discord.webhookUrl() });
    creds.discordBad = await credential('Discord bad token', 'discord', 'webhook_url', { webhookUrl: discord.webhookUrl('bad-token') });
    creds.weather = await credential('Weather', 'openweather', 'api_key', { apiKey: OPENWEATHER_API_KEY });
    creds.weatherBad = await credential('Weather bad', 'openweather', 'api_key', { apiKey: 'not-the-key-0123456789' });
    creds.bearer = await credential('Echo bearer', 'http', 'bearer', { token: 'echo-bearer-token-0123456789' });
    creds.basic = await credential('Echo basic', 'http', 'basic', { username: 'flow', password: 'gate-password-0123' });
    creds.header = await credential('Echo header', 'http', 'header', { headerName: 'X-Api-Key', headerValue: 'header-secret-0123456789' });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([slack, discord, weather, echo].map((f) => f.close()));
  });
  beforeEach(() => [slack, discord, weather, echo].forEach((f) => f.reset()));

  describe('GET /api/connectors', () => {
    it('lists every connector with auth kinds, actions, params schemas and credential schemas (JWT required)', async () => {
      expect((await t.http.get('/api/connectors')).status).toBe(401);
      const res = await t.http.get('/api/connectors', { token: owner.token });
      expect(res.status).toBe(200);
      const byKey = Object.fromEntries(res.body.map((c: { key: string }) => [c.key, c]));
      expect(Object.keys(byKey)).toEqual(expect.arrayContaining(['http', 'slack', 'discord', 'openweather']));
      expect(byKey.slack).toMatchObject({
        name: 'Slack',
        auth: ['webhook_url'],
        actions: [{ key: 'send_message', readOnly: false, input: { type: 'object', required: ['text'] } }],
        credentialSchema: { required: ['webhookUrl'] },
      });
      expect(byKey.openweather.actions[0]).toMatchObject({ key: 'current_weather', readOnly: true });
      expect(byKey.openweather.baseUrlSetting).toBe('OPENWEATHER_BASE_URL');
      expect(byKey.http.auth).toEqual(['none', 'bearer', 'basic', 'header', 'nango']);
      expect(Object.keys(byKey.http.credentialSchemas)).toEqual(['bearer', 'basic', 'header', 'nango']);
      expect(byKey.http.credentialSchema).toBeNull();
    });

    it('answers one connector by key, 404 for an unknown one', async () => {
      expect((await t.http.get('/api/connectors/discord', { token: owner.token })).body.key).toBe('discord');
      const missing = await t.http.get('/api/connectors/nope', { token: owner.token });
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe('Connector "nope" not found');
    });
  });

  describe('http', () => {
    it('sends method, query, headers and JSON body with a bearer credential, and never outputs the token', async () => {
      const out = (await invoke({
        connectorKey: 'http',
        action: 'request',
        credentialId: creds.bearer,
        params: { method: 'POST', url: `${echo.url}/hooks/in`, query: { a: 1 }, headers: { 'X-Trace': 't1' }, body: { hello: 'world' } },
      })) as { status: number; body: { method: string; query: unknown; body: unknown; headers: Record<string, string> } };
      expect(out.status).toBe(200);
      expect(out.body).toMatchObject({ method: 'POST', query: { a: '1' }, body: { hello: 'world' } });
      expect(echo.requests[0].headers.authorization).toBe('Bearer echo-bearer-token-0123456789');
      expect(echo.requests[0].headers['x-trace']).toBe('t1');
      expect(out.body.headers.authorization).toBe('Bearer [redacted]');
      expect(JSON.stringify(out)).not.toContain('echo-bearer-token');
    });

    it('supports basic and custom-header credentials, and runs without a credential', async () => {
      await invoke({ connectorKey: 'http', action: 'request', credentialId: creds.basic, params: { url: `${echo.url}/a` } });
      expect(echo.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('flow:gate-password-0123').toString('base64')}`);
      await invoke({ connectorKey: 'http', action: 'request', credentialId: creds.header, params: { url: `${echo.url}/b` } });
      expect(echo.requests[1].headers['x-api-key']).toBe('header-secret-0123456789');
      const plain = (await invoke({ connectorKey: 'http', action: 'request', params: { url: `${echo.url}/text` } })) as { body: unknown };
      expect(plain.body).toBe('plain text answer');
      expect(echo.requests[2].headers.authorization).toBeUndefined();
    });

    it('fails on status >= 400 by default: 404 final, 503 and 429 retryable (with Retry-After)', async () => {
      const notFound = await failure(invoke({ connectorKey: 'http', action: 'request', params: { url: `${echo.url}/status/404` } }));
      expect(notFound).toMatchObject({ message: 'HTTP: status 404 (404)', retryable: false, status: 404 });
      const unavailable = await failure(invoke({ connectorKey: 'http', action: 'request', params: { url: `${echo.url}/status/503` } }));
      expect(unavailable).toMatchObject({ retryable: true, status: 503 });
      echo.failNext({ status: 429, headers: { 'retry-after': '7' }, body: { message: 'slow down' } });
      const limited = await failure(invoke({ connectorKey: 'http', action: 'request', params: { url: `${echo.url}/x` } }));
      expect(limited).toMatchObject({ message: 'HTTP: slow down (429)', retryable: true, retryAfterSeconds: 7 });
    });

    it('returns non-2xx as output with failOnHttpError: false', async () => {
      const out = await invoke({
        connectorKey: 'http',
        action: 'request',
        params: { url: `${echo.url}/status/500`, failOnHttpError: false },
      });
      expect(out).toMatchObject({ status: 500, body: { error: 'status 500' } });
    });

    it('times out with a retryable "HTTP: timed out after N ms", and stops when the caller aborts', async () => {
      const slow = await failure(invoke({ connectorKey: 'http', action: 'request', params: { url: `${echo.url}/hang` }, timeoutMs: 200 }));
      expect(slow).toMatchObject({ message: 'HTTP: timed out after 200 ms', retryable: true, code: 'TIMEOUT' });
      const controller = new AbortController();
      const pending = invoke({ connectorKey: 'http', action: 'request', params: { url: `${echo.url}/hang` }, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      expect(await failure(pending)).toMatchObject({ message: 'HTTP: cancelled', retryable: true });
    });
  });

  describe('slack', () => {
    it('posts the message', async () => {
      const out = await invoke({
        connectorKey: 'slack',
        action: 'send_message',
        credentialId: creds.slack,
        params: { text: 'Deploy finished', blocks: [{ type: 'divider' }] },
      });
      expect(out).toEqual({ ok: true });
      expect(slack.messages.at(-1)).toEqual({ text: 'Deploy finished', blocks: [{ type: 'divider' }] });
    });

    it("maps Slack's text errors to clear, final messages without the webhook URL", async () => {
      const err = await failure(
        invoke({ connectorKey: 'slack', action: 'send_message', credentialId: creds.slackArchived, params: { text: 'x' } }),
      );
      expect(err).toMatchObject({
        message: 'Slack: the channel is archived (channel_is_archived) (410)',
        retryable: false,
        code: 'channel_is_archived',
      });
      expect(err.message).not.toContain('archivedToken');
    });

    it('retries 429 (with Retry-After) and 5xx', async () => {
      slack.failNext(SLACK_RATE_LIMITED);
      expect(
        await failure(invoke({ connectorKey: 'slack', action: 'send_message', credentialId: creds.slack, params: { text: 'x' } })),
      ).toMatchObject({
        retryable: true,
        status: 429,
        retryAfterSeconds: 30,
      });
      slack.failNext(SLACK_UNAVAILABLE);
      expect(
        await failure(invoke({ connectorKey: 'slack', action: 'send_message', credentialId: creds.slack, params: { text: 'x' } })),
      ).toMatchObject({
        retryable: true,
        status: 503,
      });
    });
  });

  describe('discord', () => {
    it('executes the webhook (204), and returns the message with wait', async () => {
      expect(
        await invoke({
          connectorKey: 'discord',
          action: 'send_message',
          credentialId: creds.discord,
          params: { content: 'hi', username: 'Flowgate' },
        }),
      ).toEqual({ delivered: true });
      const waited = (await invoke({
        connectorKey: 'discord',
        action: 'send_message',
        credentialId: creds.discord,
        params: { content: 'hello', wait: true },
      })) as {
        message: { id: string; content: string };
      };
      expect(waited.message).toMatchObject({ content: 'hello' });
      expect(waited.message.id).toMatch(/^\d+$/);
      expect(JSON.stringify(waited)).not.toContain('dWebhookToken');
      expect(discord.messages.at(-1)).toEqual({ content: 'hello' });
    });

    it("maps Discord's { code, message } errors; a bad token is final", async () => {
      const empty = await failure(
        invoke({ connectorKey: 'discord', action: 'send_message', credentialId: creds.discord, params: { content: '   ' } }),
      );
      expect(empty).toMatchObject({ message: 'Discord: Cannot send an empty message (code 50006) (400)', retryable: false, code: '50006' });
      const bad = await failure(
        invoke({ connectorKey: 'discord', action: 'send_message', credentialId: creds.discordBad, params: { content: 'x' } }),
      );
      expect(bad).toMatchObject({ message: 'Discord: Invalid Webhook Token (code 50027) (401)', retryable: false });
      expect(bad.message).not.toContain('not-the-token');
    });

    it('429 is retryable with retry_after from the body', async () => {
      discord.failNext(DISCORD_RATE_LIMITED);
      const err = await failure(
        invoke({ connectorKey: 'discord', action: 'send_message', credentialId: creds.discord, params: { content: 'x' } }),
      );
      expect(err).toMatchObject({
        message: 'Discord: You are being rate limited. (429)',
        retryable: true,
        retryAfterSeconds: 3,
        details: { global: false },
      });
    });
  });

  describe('openweather', () => {
    it('answers the current weather for a city, at the configured base URL', async () => {
      const out = await invoke({
        connectorKey: 'openweather',
        action: 'current_weather',
        credentialId: creds.weather,
        params: { city: 'London' },
      });
      expect(out).toMatchObject({ city: 'London', country: 'GB', temperature: 11.5, humidity: 81, conditions: 'Clouds', units: 'metric' });
      expect(weather.requests[0].query).toEqual({ q: 'London', appid: OPENWEATHER_API_KEY, units: 'metric' });
      expect(JSON.stringify(out)).not.toContain(OPENWEATHER_API_KEY);
    });

    it('"OpenWeather: city not found (404)" and a bad key are final; 429 is retryable', async () => {
      const missing = await failure(
        invoke({ connectorKey: 'openweather', action: 'current_weather', credentialId: creds.weather, params: { city: 'Atlantis' } }),
      );
      expect(missing).toMatchObject({ message: 'OpenWeather: city not found (404)', retryable: false, status: 404 });
      const badKey = await failure(
        invoke({ connectorKey: 'openweather', action: 'current_weather', credentialId: creds.weatherBad, params: { city: 'Paris' } }),
      );
      expect(badKey).toMatchObject({ retryable: false, status: 401 });
      expect(badKey.message).toMatch(/^OpenWeather: Invalid API key/);
      weather.failNext(OPENWEATHER_RATE_LIMITED);
      const limited = await failure(
        invoke({ connectorKey: 'openweather', action: 'current_weather', credentialId: creds.weather, params: { city: 'Paris' } }),
      );
      expect(limited).toMatchObject({ retryable: true, status: 429 });
    });
  });

  describe('invoker checks before any call', () => {
    it('rejects rendered params that do not fit, naming the field (400, final)', async () => {
      const err = await failure(
        invoke({ connectorKey: 'openweather', action: 'current_weather', credentialId: creds.weather, params: { city: 42 } }),
      );
      expect(err).toMatchObject({
        message: 'OpenWeather: invalid params: city must be string',
        status: 400,
        retryable: false,
        code: 'INVALID_PARAMS',
      });
      expect(err.details).toEqual([{ field: 'city', message: 'must be string' }]);
      expect(weather.requests).toHaveLength(0);
    });

    it('rejects unknown connectors and actions', async () => {
      expect(await failure(invoke({ connectorKey: 'nope', action: 'x', params: {} }))).toMatchObject({
        code: 'UNKNOWN_CONNECTOR',
        retryable: false,
      });
      expect(await failure(invoke({ connectorKey: 'slack', action: 'shout', credentialId: creds.slack, params: {} }))).toMatchObject({
        code: 'UNKNOWN_ACTION',
        message: 'Slack: unknown action "shout" (known: send_message)',
      });
    });

    it('needs a credential where the connector has no "none" kind', async () => {
      expect(await failure(invoke({ connectorKey: 'slack', action: 'send_message', params: { text: 'x' } }))).toMatchObject({
        code: 'CREDENTIAL_REQUIRED',
        message: 'Slack: this step needs a credential (webhook_url)',
      });
    });

    it("refuses another tenant's credential and a credential of another connector", async () => {
      const other = await registerTenant(t.http);
      const foreign = await failure(
        invoker.invoke({
          tenantId: other.tenantId,
          connectorKey: 'slack',
          action: 'send_message',
          credentialId: creds.slack,
          params: { text: 'x' },
        }),
      );
      expect(foreign).toMatchObject({
        code: 'CREDENTIAL_NOT_FOUND',
        retryable: false,
        message: `Slack: Credential ${creds.slack} not found`,
      });
      const mismatch = await failure(
        invoke({ connectorKey: 'discord', action: 'send_message', credentialId: creds.slack, params: { content: 'x' } }),
      );
      expect(mismatch).toMatchObject({
        code: 'CREDENTIAL_CONNECTOR_MISMATCH',
        message: 'Discord: Credential "Slack live" is for connector slack, not discord',
      });
      expect(slack.requests).toHaveLength(0);
      expect(discord.requests).toHaveLength(0);
    });
  });

  it('never wrote a credential value to the log', () => {
    const logs = t.logs.join('\n');
    for (const secret of [
      'liveToken0123456789abcdef',
      'dWebhookToken',
      OPENWEATHER_API_KEY,
      'echo-bearer-token',
      'gate-password-0123',
      'header-secret-0123456789',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
