import { randomBytes } from 'node:crypto';
import { startEchoFake } from './fakes/echo.fake';
import { FakeRequest, FakeServer, startFake } from './fakes/fake-server';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { registerTenant, uniqueEmail } from './support/test-app';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

type Owner = Awaited<ReturnType<typeof registerTenant>>;

/**
 * Credential egress: a credential goes only to the hosts it names, and nothing it
 * contributed (header, query parameter, basic auth, token) follows a redirect to another origin.
 * Two local fakes on different ports are two origins of the same host (127.0.0.1).
 */
describe('credential egress: allowed hosts and redirects', () => {
  let m: MarketplaceEnv;
  let origin: FakeServer; // where every connector is pointed; redirects on demand
  let other: FakeServer; // another origin (same host, other port)
  let sink: FakeServer; // a URL a member controls
  let owner: Owner;
  let redirectTo: 'other' | 'same' = 'other';

  const qs = (q: Record<string, string>) => (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
  const echo = (req: FakeRequest) => ({ body: { method: req.method, path: req.path, query: req.query, headers: req.headers } });

  beforeAll(async () => {
    [other, sink] = await Promise.all([startEchoFake(), startEchoFake()]);
    origin = await startFake({
      '* /landed': echo,
      '* /redirect-to': (req) => ({ status: 302, headers: { location: req.query.url } }),
      // 307 keeps the method and body; the query string is kept too (the worst case for a key in the query).
      '* /*': (req) => ({ status: 307, headers: { location: `${redirectTo === 'other' ? other.url : ''}/landed${qs(req.query)}` } }),
    });
    const base = origin.url;
    m = await startMarketplace({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      OPENWEATHER_BASE_URL: base,
      NASA_BASE_URL: base,
      NEWSAPI_BASE_URL: base,
      THECATAPI_BASE_URL: base,
      TWILIO_BASE_URL: base,
      SALESFORCE_BASE_URL: base,
    });
    owner = await registerTenant(m.t.http);
  });
  afterAll(async () => {
    await m.close();
    await Promise.all([origin.close(), other.close(), sink.close()]);
  });
  beforeEach(() => [origin, other, sink].forEach((f) => f.reset()));

  const secret = (tag: string) => `${tag}-${randomBytes(12).toString('hex')}`;

  async function credential(token: string, body: Record<string, unknown>) {
    return m.t.http.post('/api/credentials', { name: `cred ${randomBytes(4).toString('hex')}`, ...body }, { token });
  }

  async function dryRun(token: string, step: Record<string, unknown>, payload: unknown = {}) {
    const wf = await createWorkflow(m.t.http, token, {
      name: `egress ${randomBytes(4).toString('hex')}`,
      trigger: { type: 'webhook' },
      steps: [{ name: 'call', type: 'connector', ...step }],
    });
    const res = await m.t.http.post(`/api/workflows/${wf.id}/dry-run`, { payload }, { token });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Everything a credential could put on the wire, in the forms it travels in. */
  function secretForms(values: string[]): string[] {
    const forms = new Set(values);
    for (const a of values) for (const b of values) if (a !== b) forms.add(Buffer.from(`${a}:${b}`).toString('base64'));
    return [...forms];
  }

  function expectNoCredentialIn(req: FakeRequest, values: string[], names: { headers?: string[]; query?: string[] }) {
    const forms = secretForms(values);
    for (const h of names.headers ?? []) expect(req.headers[h]).toBeUndefined();
    for (const q of names.query ?? []) expect(req.query[q]).toBeUndefined();
    const wire = JSON.stringify({ headers: req.headers, query: req.query, path: req.path });
    for (const f of forms) expect(wire).not.toContain(f);
  }

  interface Case {
    label: string;
    /** Builds the credential (returns its create body and the secret values to look for). */
    make(): Promise<{ body: Record<string, unknown>; secrets: string[] }>;
    step: { connector: string; action: string; params: Record<string, unknown> };
    names: { headers?: string[]; query?: string[] };
    /** What the same-origin redirect target must still receive. */
    carried(req: FakeRequest, secrets: string[]): void;
  }

  const sid = `AC${randomBytes(16).toString('hex')}`;
  const nangoCompany = async (instanceUrl?: string) => {
    const { company, connection } = await connectCompany(
      m,
      owner,
      'hubspot',
      instanceUrl ? { connectionConfig: { instance_url: instanceUrl } } : {},
    );
    connection.accessToken = secret('nango-token');
    return { company, token: connection.accessToken };
  };
  const bearer = (req: FakeRequest, s: string[]) => expect(req.headers.authorization).toBe(`Bearer ${s[0]}`);
  const basic = (user: () => string) => (req: FakeRequest, s: string[]) =>
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${user()}:${s[s.length - 1]}`).toString('base64')}`);

  const cases: Case[] = [
    {
      label: 'http + bearer',
      make: async () =>
        ((s) => ({ body: { connectorKey: 'http', authKind: 'bearer', secrets: { token: s } }, secrets: [s] }))(secret('bearer')),
      step: { connector: 'http', action: 'request', params: { url: '{{trigger.url}}', method: 'POST', body: { hi: 1 } } },
      names: { headers: ['authorization'] },
      carried: bearer,
    },
    {
      label: 'http + basic',
      make: async () =>
        ((s) => ({
          body: { connectorKey: 'http', authKind: 'basic', secrets: { username: 'egress-user', password: s } },
          secrets: ['egress-user', s],
        }))(secret('basic')),
      step: { connector: 'http', action: 'request', params: { url: '{{trigger.url}}' } },
      names: { headers: ['authorization'] },
      carried: basic(() => 'egress-user'),
    },
    {
      label: 'http + header (X-Api-Key)',
      make: async () =>
        ((s) => ({
          body: { connectorKey: 'http', authKind: 'header', secrets: { headerName: 'X-Api-Key', headerValue: s } },
          secrets: [s],
        }))(secret('header')),
      step: { connector: 'http', action: 'request', params: { url: '{{trigger.url}}' } },
      names: { headers: ['x-api-key'] },
      carried: (req, s) => expect(req.headers['x-api-key']).toBe(s[0]),
    },
    {
      label: 'http + nango',
      make: async () => {
        const { company, token } = await nangoCompany();
        return { body: { connectorKey: 'http', authKind: 'nango', secrets: { companyId: company.id } }, secrets: [token] };
      },
      step: { connector: 'http', action: 'request', params: { url: '{{trigger.url}}' } },
      names: { headers: ['authorization'] },
      carried: bearer,
    },
    {
      label: 'soap + basic',
      make: async () =>
        ((s) => ({
          body: { connectorKey: 'soap', authKind: 'basic', secrets: { username: 'soap-user', password: s } },
          secrets: ['soap-user', s],
        }))(secret('soap')),
      step: {
        connector: 'soap',
        action: 'call',
        params: { url: '{{trigger.url}}', operation: 'Add', namespace: 'http://tempuri.org/', params: { a: 1 } },
      },
      names: { headers: ['authorization'] },
      carried: basic(() => 'soap-user'),
    },
    {
      label: 'openweather + api_key (appid in the query)',
      make: async () =>
        ((s) => ({ body: { connectorKey: 'openweather', authKind: 'api_key', secrets: { apiKey: s } }, secrets: [s] }))(secret('owm')),
      step: { connector: 'openweather', action: 'current_weather', params: { city: 'London' } },
      names: { query: ['appid'] },
      carried: (req, s) => expect(req.query.appid).toBe(s[0]),
    },
    {
      label: 'nasa + api_key (api_key in the query)',
      make: async () =>
        ((s) => ({ body: { connectorKey: 'nasa', authKind: 'api_key', secrets: { apiKey: s } }, secrets: [s] }))(secret('nasa')),
      step: { connector: 'nasa', action: 'apod', params: {} },
      names: { query: ['api_key'] },
      carried: (req, s) => expect(req.query.api_key).toBe(s[0]),
    },
    {
      label: 'newsapi + api_key (X-Api-Key header)',
      make: async () =>
        ((s) => ({ body: { connectorKey: 'newsapi', authKind: 'api_key', secrets: { apiKey: s } }, secrets: [s] }))(secret('news')),
      step: { connector: 'newsapi', action: 'top_headlines', params: { country: 'us' } },
      names: { headers: ['x-api-key'] },
      carried: (req, s) => expect(req.headers['x-api-key']).toBe(s[0]),
    },
    {
      label: 'thecatapi + api_key (x-api-key header)',
      make: async () =>
        ((s) => ({ body: { connectorKey: 'thecatapi', authKind: 'api_key', secrets: { apiKey: s } }, secrets: [s] }))(secret('cat')),
      step: { connector: 'thecatapi', action: 'search_images', params: {} },
      names: { headers: ['x-api-key'] },
      carried: (req, s) => expect(req.headers['x-api-key']).toBe(s[0]),
    },
    {
      label: 'twilio + basic (AccountSid:AuthToken)',
      make: async () =>
        ((s) => ({ body: { connectorKey: 'twilio', authKind: 'basic', secrets: { accountSid: sid, authToken: s } }, secrets: [sid, s] }))(
          secret('twilio'),
        ),
      step: { connector: 'twilio', action: 'send_sms', params: { to: '+14155550100', from: '+14155550199', body: 'hi' } },
      names: { headers: ['authorization'] },
      carried: basic(() => sid),
    },
    {
      label: 'salesforce + bearer',
      make: async () =>
        ((s) => ({
          body: { connectorKey: 'salesforce', authKind: 'bearer', secrets: { accessToken: s, instanceUrl: origin.url } },
          secrets: [s],
        }))(secret('sf')),
      step: { connector: 'salesforce', action: 'query', params: { soql: 'SELECT Id FROM Account' } },
      names: { headers: ['authorization'] },
      carried: bearer,
    },
    {
      label: 'salesforce + nango',
      make: async () => {
        const { company, token } = await nangoCompany(origin.url);
        return { body: { connectorKey: 'salesforce', authKind: 'nango', secrets: { companyId: company.id } }, secrets: [token] };
      },
      step: { connector: 'salesforce', action: 'query', params: { soql: 'SELECT Id FROM Account' } },
      names: { headers: ['authorization'] },
      carried: bearer,
    },
    {
      label: 'slack + webhook_url',
      make: async () =>
        ((s) => ({
          body: { connectorKey: 'slack', authKind: 'webhook_url', secrets: { webhookUrl: `${origin.url}/services/T0/B0/${s}` } },
          secrets: [s],
        }))(secret('slack')),
      step: { connector: 'slack', action: 'send_message', params: { text: 'hello' } },
      names: {},
      carried: () => undefined,
    },
    {
      label: 'discord + webhook_url',
      make: async () =>
        ((s) => ({
          body: { connectorKey: 'discord', authKind: 'webhook_url', secrets: { webhookUrl: `${origin.url}/api/webhooks/1/${s}` } },
          secrets: [s],
        }))(secret('discord')),
      step: { connector: 'discord', action: 'send_message', params: { content: 'hello' } },
      names: {},
      carried: () => undefined,
    },
  ];

  describe.each(cases)('$label', (c) => {
    let credentialId: string;
    let secrets: string[];
    beforeAll(async () => {
      const made = await c.make();
      secrets = made.secrets;
      // Both origins are on 127.0.0.1: the credential may go to either, so only the redirect rule decides.
      const res = await credential(owner.token, { ...made.body, allowedHosts: ['127.0.0.1'] });
      expect([res.status, res.text]).toEqual([201, expect.any(String)]);
      expect(res.body.allowedHosts).toEqual(['127.0.0.1']);
      credentialId = res.body.id;
    });
    const step = () => ({ ...c.step, credentialId });

    it('a redirect to another origin carries nothing the credential contributed', async () => {
      redirectTo = 'other';
      await dryRun(owner.token, step(), { url: `${origin.url}/start` });
      // The first hop carried the credential; the second origin got the request without any of it.
      expect(origin.requests).toHaveLength(1);
      c.carried(origin.requests[0], secrets);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0].path).toBe('/landed');
      expectNoCredentialIn(other.requests[0], secrets, c.names);
    });

    it('a redirect within the origin keeps it', async () => {
      redirectTo = 'same';
      await dryRun(owner.token, step(), { url: `${origin.url}/start` });
      expect(origin.requests.map((r) => r.path).slice(-1)).toEqual(['/landed']);
      expect(origin.requests).toHaveLength(2);
      c.carried(origin.requests[1], secrets);
      expect(other.requests).toHaveLength(0);
    });
  });

  describe('hosts a credential may go to', () => {
    let member: { token: string };
    let admin: { token: string };
    let ownerCred: { id: string; name: string };
    const ownerSecret = secret('owner-bearer');

    async function addMember(role: 'admin' | 'member') {
      const email = uniqueEmail(role);
      const password = 'member-password-1';
      const res = await m.t.http.post('/api/tenants/current/members', { email, password, role }, { token: owner.token });
      expect(res.status).toBe(201);
      const login = await m.t.http.post('/api/auth/login', { email, password });
      return { token: login.body.accessToken as string };
    }

    beforeAll(async () => {
      member = await addMember('member');
      admin = await addMember('admin');
      const res = await credential(owner.token, {
        connectorKey: 'http',
        authKind: 'bearer',
        secrets: { token: ownerSecret },
        allowedHosts: [`127.0.0.1:${origin.port}`],
      });
      expect(res.status).toBe(201);
      ownerCred = res.body;
    });

    const expectHostDenied = (error: { code: string; message: string }, host: string) => {
      expect(error.code).toBe('CREDENTIAL_HOST_NOT_ALLOWED');
      expect(error.message).toContain(`"${ownerCred.name}" (${ownerCred.id})`);
      expect(error.message).toContain(host);
      expect(error.message).not.toContain(ownerSecret);
    };

    it("a member cannot save a step that sends an owner's credential to a URL they control", async () => {
      const res = await m.t.http.post(
        '/api/workflows',
        {
          name: 'steal',
          trigger: { type: 'webhook' },
          steps: [
            {
              name: 'steal',
              type: 'connector',
              connector: 'http',
              action: 'request',
              params: { url: `${sink.url}/steal` },
              credentialId: ownerCred.id,
            },
          ],
        },
        { token: member.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'steps[0].params.url', message: expect.stringContaining(`may not be sent to 127.0.0.1:${sink.port}`) },
      ]);
      expect(res.body.message).toContain(ownerCred.id);
      expect(sink.requests).toHaveLength(0);
    });

    it('nor dry-run or run it with a templated URL: the call fails before a byte is sent', async () => {
      const step = { connector: 'http', action: 'request', params: { url: '{{trigger.url}}' }, credentialId: ownerCred.id };
      const dry = await dryRun(member.token, step, { url: `${sink.url}/steal` });
      expect(dry.status).toBe('failed');
      expectHostDenied(dry.error, `127.0.0.1:${sink.port}`);

      const wf = await createWorkflow(m.t.http, member.token, {
        name: 'steal later',
        trigger: { type: 'webhook' },
        steps: [{ name: 'steal', type: 'connector', ...step }],
        settings: { retries: 3, backoff: { type: 'fixed', delayMs: 10 } },
      });
      const run = await m.t.http.post(`/api/workflows/${wf.id}/run`, { payload: { url: `${sink.url}/steal` } }, { token: member.token });
      expect(run.status).toBe(202);
      const execution = await waitForExecution(m.t.http, member.token, run.body.executionId);
      expect(execution.status).toBe('failed');
      expect(JSON.stringify(execution)).toContain('CREDENTIAL_HOST_NOT_ALLOWED');
      expect(JSON.stringify(execution)).not.toContain(ownerSecret);
      expect(execution.attempts ?? 1).toBe(1); // not retried: only an owner or admin can change the answer
      expect(sink.requests).toHaveLength(0);
    });

    it('nor reach it through a redirect from an allowed host', async () => {
      const step = { connector: 'http', action: 'request', params: { url: '{{trigger.url}}' }, credentialId: ownerCred.id };
      const dry = await dryRun(member.token, step, { url: `${origin.url}/redirect-to?url=${encodeURIComponent(`${sink.url}/steal`)}` });
      expect(dry.status).toBe('failed');
      expectHostDenied(dry.error, `127.0.0.1:${sink.port}`);
      expect(origin.requests).toHaveLength(1);
      expect(sink.requests).toHaveLength(0);
    });

    it('the allowed host itself still works', async () => {
      const dry = await dryRun(member.token, {
        connector: 'http',
        action: 'request',
        params: { url: `${origin.url}/landed` },
        credentialId: ownerCred.id,
      });
      expect(dry.status).toBe('succeeded');
      expect(origin.requests[0].headers.authorization).toBe(`Bearer ${ownerSecret}`);
    });

    it('provider credentials default to the provider hosts (and the configured base URL), redirects included', async () => {
      const res = await credential(owner.token, {
        connectorKey: 'openweather',
        authKind: 'api_key',
        secrets: { apiKey: secret('owm-default') },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ allowedHosts: null, usable: true, unusableReason: null });
      redirectTo = 'other';
      const dry = await dryRun(owner.token, {
        connector: 'openweather',
        action: 'current_weather',
        params: { city: 'Paris' },
        credentialId: res.body.id,
      });
      expect(dry.status).toBe('failed');
      expect(dry.error.code).toBe('CREDENTIAL_HOST_NOT_ALLOWED');
      expect(dry.error.message).toContain(`127.0.0.1:${other.port}`);
      expect(dry.error.message).toContain('api.openweathermap.org');
      expect(origin.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
    });

    it('only owners and admins set allowedHosts (members get 403)', async () => {
      const create = await credential(member.token, {
        connectorKey: 'http',
        authKind: 'bearer',
        secrets: { token: 'member-token-123' },
        allowedHosts: [`127.0.0.1:${sink.port}`],
      });
      expect(create.status).toBe(403);
      const widen = await m.t.http.put(
        `/api/credentials/${ownerCred.id}`,
        { allowedHosts: [`127.0.0.1:${sink.port}`] },
        { token: member.token },
      );
      expect(widen.status).toBe(403);
      expect((await m.t.http.get(`/api/credentials/${ownerCred.id}`, { token: member.token })).body.allowedHosts).toEqual([
        `127.0.0.1:${origin.port}`,
      ]);

      const byAdmin = await m.t.http.put(
        `/api/credentials/${ownerCred.id}`,
        { allowedHosts: [`127.0.0.1:${origin.port}`, '*.Example.COM'] },
        { token: admin.token },
      );
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({ allowedHosts: [`127.0.0.1:${origin.port}`, '*.example.com'], usable: true });
      expect(byAdmin.text).not.toContain(ownerSecret);
    });

    it('GET /api/connectors says which connectors have default hosts and which credentials must name theirs', async () => {
      const list = (await m.t.http.get('/api/connectors', { token: member.token })).body as Array<{
        key: string;
        defaultHosts: string[] | null;
      }>;
      const generic = list.filter((c) => c.defaultHosts === null).map((c) => c.key);
      expect(generic.sort()).toEqual(['http', 'soap']);
      expect(list.find((c) => c.key === 'twilio')!.defaultHosts).toEqual(['api.twilio.com']);
    });

    it('validation errors name the field', async () => {
      const http = { connectorKey: 'http', authKind: 'bearer', secrets: { token: 'some-token-123' } };
      const cases: Array<[unknown, string]> = [
        [undefined, 'allowedHosts'],
        [null, 'allowedHosts'],
        [[], 'allowedHosts'],
        ['api.example.com', 'allowedHosts'],
        [['api.example.com', 'https://api.example.com/x'], 'allowedHosts.1'],
        [['api.example.com:99999'], 'allowedHosts.0'],
        [[42], 'allowedHosts.0'],
        [Array.from({ length: 51 }, (_, i) => `h${i}.example.com`), 'allowedHosts'],
      ];
      for (const [allowedHosts, field] of cases) {
        const res = await credential(owner.token, { ...http, ...(allowedHosts === undefined ? {} : { allowedHosts }) });
        expect([res.status, [...new Set(res.body.details?.map((d: { field: string }) => d.field))]]).toEqual([400, [field]]);
      }
      const toNull = await m.t.http.put(`/api/credentials/${ownerCred.id}`, { allowedHosts: null }, { token: owner.token });
      expect([toNull.status, toNull.body.details?.[0]?.field]).toEqual([400, 'allowedHosts']);
    });
  });
});
