import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { OPENWEATHER_API_KEY, startOpenWeatherFake } from './fakes/openweather.fake';
import { SALESFORCE_FAKE_TOKEN, SalesforceFake, startSalesforceFake } from './fakes/salesforce.fake';
import { SLACK_HOOK_PATHS, SlackFake, startSlackFake } from './fakes/slack.fake';
import { startTwilioFake, TWILIO_FAKE_ACCOUNT, TWILIO_FAKE_FROM, TwilioFake } from './fakes/twilio.fake';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { createWorkflow } from './support/workflow-helpers';

/**
 * Dry runs asked for no side effects (POST /api/workflows/:id/dry-run `{ sideEffects: false }`),
 * through the real app: side-effecting connector steps answer `planned` with the exact request
 * they would have sent (secrets masked) and their action's sample output, and their fakes see
 * nothing; read-only actions, transforms and conditions still run; the default still runs all.
 */
describe('dry runs without side effects (real app, fakes on loopback)', () => {
  let t: TestApp;
  let slack: SlackFake;
  let salesforce: SalesforceFake;
  let twilio: TwilioFake;
  let weather: FakeServer;
  let echo: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  const creds: Record<string, string> = {};
  const HTTP_TOKEN = 'http-bearer-token-0123456789';
  /** Every credential value the answers must never show. */
  let secretValues: string[];

  beforeAll(async () => {
    [slack, salesforce, twilio, weather, echo] = await Promise.all([
      startSlackFake(),
      startSalesforceFake(),
      startTwilioFake(),
      startOpenWeatherFake(),
      startEchoFake(),
    ]);
    t = await startTestApp({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      OUTBOUND_TIMEOUT_MS: '5000',
      TWILIO_BASE_URL: twilio.url,
      OPENWEATHER_BASE_URL: weather.url,
    });
    owner = await registerTenant(t.http);
    const credential = async (connectorKey: string, authKind: string, secrets: Record<string, string>, extra = {}) => {
      const res = await t.http.post(
        '/api/credentials',
        { name: `${connectorKey} ${Math.random()}`, connectorKey, authKind, secrets, ...extra },
        { token: owner.token },
      );
      if (res.status !== 201) throw new Error(`credential: ${res.status} ${res.text}`);
      return res.body.id as string;
    };
    creds.slack = await credential('slack', 'webhook_url', { webhookUrl: slack.webhookUrl('live') });
    creds.salesforce = await credential('salesforce', 'bearer', { accessToken: SALESFORCE_FAKE_TOKEN, instanceUrl: salesforce.url });
    creds.twilio = await credential('twilio', 'basic', TWILIO_FAKE_ACCOUNT);
    creds.weather = await credential('openweather', 'api_key', { apiKey: OPENWEATHER_API_KEY });
    creds.http = await credential('http', 'bearer', { token: HTTP_TOKEN }, { allowedHosts: ['127.0.0.1'] });
    const basic = Buffer.from(`${TWILIO_FAKE_ACCOUNT.accountSid}:${TWILIO_FAKE_ACCOUNT.authToken}`).toString('base64');
    secretValues = [
      slack.webhookUrl('live'),
      SLACK_HOOK_PATHS.live,
      SLACK_HOOK_PATHS.live.split('/').pop()!,
      SALESFORCE_FAKE_TOKEN,
      TWILIO_FAKE_ACCOUNT.accountSid,
      TWILIO_FAKE_ACCOUNT.authToken,
      basic,
      OPENWEATHER_API_KEY,
      HTTP_TOKEN,
    ];
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([slack, salesforce, twilio, weather, echo].map((f) => f?.close()));
  });

  const dryRun = (workflowId: string, body: Record<string, unknown>) =>
    t.http.post(`/api/workflows/${workflowId}/dry-run`, body, { token: owner.token });

  /** No credential value anywhere in the answer (raw text, JSON escapes included). */
  const expectNoSecrets = (text: string) => {
    for (const value of secretValues) {
      expect([value, text.includes(value)]).toEqual([value, false]);
      expect([value, text.includes(JSON.stringify(value).slice(1, -1))]).toEqual([value, false]);
    }
  };

  describe('webhook → Slack → transform', () => {
    let workflowId: string;
    beforeAll(async () => {
      const w = await createWorkflow(t.http, owner.token, {
        name: 'notify',
        trigger: { type: 'webhook' },
        steps: [
          {
            name: 'slack',
            type: 'connector',
            connector: 'slack',
            action: 'send_message',
            credentialId: creds.slack,
            params: { text: 'Order {{trigger.order.id}} shipped to {{trigger.user.name}}' },
          },
          { name: 'after', type: 'transform', params: { posted: '{{steps.slack.ok}}', note: 'slack said {{steps.slack.ok}}' } },
        ],
      });
      workflowId = w.id;
    });

    it('with sideEffects false: the Slack fake receives nothing, the step is planned with the exact request, the transform sees the sample output', async () => {
      slack.reset();
      slack.messages.length = 0;
      const res = await dryRun(workflowId, { payload: { order: { id: 42 }, user: { name: 'Alex' } }, sideEffects: false });
      expect(res.status).toBe(200);
      expect(slack.requests).toEqual([]);
      expect(slack.messages).toEqual([]);
      expect(res.body).toMatchObject({ status: 'succeeded', planned: 1, workflowVersion: 1 });
      expect(res.body.steps[0]).toMatchObject({
        name: 'slack',
        connector: 'slack',
        action: 'send_message',
        status: 'planned',
        input: { text: 'Order 42 shipped to Alex' },
        output: { ok: true },
      });
      expect(res.body.steps[0].request).toEqual({
        method: 'POST',
        url: `${slack.url}/[redacted]`,
        headers: { 'content-type': 'application/json' },
        body: { text: 'Order 42 shipped to Alex' },
      });
      expect(res.body.steps[1]).toMatchObject({ name: 'after', status: 'succeeded', output: { posted: true, note: 'slack said true' } });
      expect(res.body.steps[1].request).toBeUndefined();
      expectNoSecrets(res.text);
      // A dry run stores no execution, planned or not.
      const logs = await t.http.get('/api/logs', { token: owner.token, query: { workflowId } });
      expect(logs.body.items).toEqual([]);
    });

    it('by default (and with sideEffects true) the message is really posted, as before', async () => {
      slack.messages.length = 0;
      const byDefault = await dryRun(workflowId, { payload: { order: { id: 7 }, user: { name: 'Bo' } } });
      expect(byDefault.status).toBe(200);
      expect(byDefault.body).toMatchObject({ status: 'succeeded', planned: 0 });
      expect(byDefault.body.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'succeeded']);
      expect(byDefault.body.steps[0].request).toBeUndefined();
      expect(byDefault.body.steps[1].output).toEqual({ posted: true, note: 'slack said true' });
      const explicit = await dryRun(workflowId, { payload: { order: { id: 8 }, user: { name: 'Cy' } }, sideEffects: true });
      expect(explicit.body).toMatchObject({ status: 'succeeded', planned: 0 });
      expect(slack.messages).toEqual([{ text: 'Order 7 shipped to Bo' }, { text: 'Order 8 shipped to Cy' }]);
    });

    it('refuses a sideEffects that is not a boolean, naming the field', async () => {
      const res = await dryRun(workflowId, { payload: {}, sideEffects: 'no' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'sideEffects' })]);
    });
  });

  it('a read-only action still runs (its fake sees the call); Salesforce create is planned with its exact body and Authorization masked', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'crm',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'weather',
          type: 'connector',
          connector: 'openweather',
          action: 'current_weather',
          credentialId: creds.weather,
          params: { city: '{{trigger.city}}' },
        },
        {
          name: 'lookup',
          type: 'connector',
          connector: 'salesforce',
          action: 'query',
          credentialId: creds.salesforce,
          params: { soql: 'SELECT Id FROM Contact LIMIT 1' },
        },
        {
          name: 'create',
          type: 'connector',
          connector: 'salesforce',
          action: 'create_record',
          credentialId: creds.salesforce,
          params: { object: 'Contact', fields: { LastName: '{{trigger.name}}', Title: 'Weather: {{steps.weather.conditions}}' } },
        },
        { name: 'done', type: 'transform', params: { contactId: '{{steps.create.body.id}}' } },
      ],
    });
    weather.reset();
    salesforce.reset();
    const recordsBefore = salesforce.records.size;
    const res = await dryRun(w.id, { payload: { city: 'London', name: 'Lovelace' }, sideEffects: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', planned: 1 });
    expect(res.body.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'succeeded', 'planned', 'succeeded']);
    // The read-only steps really ran against their fakes.
    expect(weather.requests.map((r) => [r.method, r.path, r.query.q])).toEqual([['GET', '/data/2.5/weather', 'London']]);
    expect(res.body.steps[0].output).toMatchObject({ city: 'London', conditions: 'Clouds' });
    expect(salesforce.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/services/data/v61.0/query']]);
    // The create was not sent: no POST reached the fake, no record was stored.
    expect(salesforce.records.size).toBe(recordsBefore);
    const create = res.body.steps[2];
    // The instance URL is a credential value: masked like every other one.
    expect(create.request).toEqual({
      method: 'POST',
      url: '[redacted]/services/data/v61.0/sobjects/Contact/',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: '[redacted]' },
      body: { LastName: 'Lovelace', Title: 'Weather: Clouds' },
    });
    expect(create.output).toEqual({ status: 201, body: { id: '003Dn00000QX9fZIAT', success: true, errors: [] } });
    expect(res.body.steps[3].output).toEqual({ contactId: '003Dn00000QX9fZIAT' });
    expectNoSecrets(res.text);
  });

  it('Twilio (basic auth): planned with the form body, the account SID and the basic credentials masked; the fake sees nothing', async () => {
    const w = await createWorkflow(t.http, owner.token, {
      name: 'sms',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'sms',
          type: 'connector',
          connector: 'twilio',
          action: 'send_sms',
          credentialId: creds.twilio,
          params: { to: '+14155550100', from: TWILIO_FAKE_FROM, body: 'Order {{trigger.id}} shipped & on its way' },
        },
      ],
    });
    twilio.reset();
    const messagesBefore = twilio.messages.length;
    const res = await dryRun(w.id, { payload: { id: 42 }, sideEffects: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', planned: 1 });
    expect(twilio.requests).toEqual([]);
    expect(twilio.messages.length).toBe(messagesBefore);
    const form = new URLSearchParams({ To: '+14155550100', From: TWILIO_FAKE_FROM, Body: 'Order 42 shipped & on its way' }).toString();
    expect(res.body.steps[0].request).toEqual({
      method: 'POST',
      url: `${twilio.url}/2010-04-01/Accounts/[redacted]/Messages.json`,
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', authorization: '[redacted]' },
      body: form,
    });
    expect(res.body.steps[0].output).toMatchObject({ status: 201, body: { status: 'queued' } });
    expectNoSecrets(res.text);
  });

  it('http connector: GET runs, POST is planned (bearer masked, body exact), and nothing but the GET reaches the server', async () => {
    const step = (name: string, method: string, extra: Record<string, unknown> = {}) => ({
      name,
      type: 'connector',
      connector: 'http',
      action: 'request',
      credentialId: creds.http,
      params: { method, url: `${echo.url}/orders`, ...extra },
    });
    const w = await createWorkflow(t.http, owner.token, {
      name: 'http',
      trigger: { type: 'webhook' },
      steps: [
        step('read', 'GET', { query: { id: '{{trigger.id}}' } }),
        step('write', 'POST', {
          headers: { 'X-Request-Id': 'req-1', 'X-Api-Key': 'inline-key-987654' },
          query: { source: 'flowgate', api_key: 'inline-query-key-123' },
          body: { id: '{{trigger.id}}', seenMethod: '{{steps.read.body.method}}' },
        }),
        step('remove', 'DELETE'),
        { name: 'after', type: 'transform', params: { created: '{{steps.write.body.id}}', status: '{{steps.write.status}}' } },
      ],
    });
    echo.reset();
    const res = await dryRun(w.id, { payload: { id: 7 }, sideEffects: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', planned: 2 });
    expect(res.body.steps.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'planned', 'planned', 'succeeded']);
    expect(echo.requests.map((r) => [r.method, r.path, r.query.id])).toEqual([['GET', '/orders', '7']]);
    expect(res.body.steps[0].output).toMatchObject({ status: 200, body: { method: 'GET', path: '/orders' } });
    expect(res.body.steps[1].request).toEqual({
      method: 'POST',
      url: `${echo.url}/orders?source=flowgate&api_key=[redacted]`,
      headers: { 'x-request-id': 'req-1', 'x-api-key': '[redacted]', 'content-type': 'application/json', authorization: '[redacted]' },
      body: { id: 7, seenMethod: 'GET' },
    });
    expect(res.body.steps[2].request).toEqual({
      method: 'DELETE',
      url: `${echo.url}/orders`,
      headers: { authorization: '[redacted]' },
    });
    expect(res.body.steps[3].output).toEqual({ created: 42, status: 201 });
    expectNoSecrets(res.text);
    expect(res.text).not.toContain('inline-key-987654');
    expect(res.text).not.toContain('inline-query-key-123');
  });

  it('the catalogue shows sideEffects (and readOnly) for every action of every connector, with a sample output where it has side effects', async () => {
    const res = await t.http.get('/api/connectors', { token: owner.token });
    expect(res.status).toBe(200);
    const actions: Array<[string, string, Record<string, unknown>]> = [];
    for (const c of res.body) for (const a of c.actions) actions.push([c.key, a.key, a]);
    expect(actions.length).toBeGreaterThan(20);
    for (const [connector, action, a] of actions) {
      expect([connector, action, typeof a.sideEffects, typeof a.readOnly]).toEqual([connector, action, 'boolean', 'boolean']);
      if (a.sideEffects) expect([connector, action, 'sampleOutput' in a]).toEqual([connector, action, true]);
      if (a.readOnly) expect([connector, action, a.sideEffects]).toEqual([connector, action, false]);
    }
    const find = (c: string, k: string) => actions.find(([x, y]) => x === c && y === k)![2];
    expect(find('slack', 'send_message')).toMatchObject({ readOnly: false, sideEffects: true, sampleOutput: { ok: true } });
    expect(find('openweather', 'current_weather')).toMatchObject({ readOnly: true, sideEffects: false });
    expect(find('salesforce', 'query')).toMatchObject({ readOnly: true, sideEffects: false });
    expect(find('salesforce', 'create_record')).toMatchObject({ sideEffects: true, sampleOutput: { status: 201 } });
    expect(find('soap', 'call')).toMatchObject({ sideEffects: true });
    expect(find('http', 'request')).toMatchObject({ sideEffects: true, sideEffectsRule: expect.stringContaining('GET and HEAD') });
    const one = await t.http.get('/api/connectors/twilio', { token: owner.token });
    expect(one.body.actions[0]).toMatchObject({ key: 'send_sms', sideEffects: true, sampleOutput: { body: { status: 'queued' } } });
  });
});
