import { createHmac } from 'node:crypto';
import { HttpClient, RequestOptions } from './support/http-client';
import { ADMIN_TOKEN, FullEnv, KONG_USAGE_SECRET, startFullEnv } from './support/full-env';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { uniqueEmail } from './support/test-app';
import { waitForExecution } from './support/workflow-helpers';

/** Remembers every response body, so the test can search all of them afterwards. */
class RecordingClient extends HttpClient {
  readonly seen: Array<{ call: string; text: string }> = [];
  async request<T = any>(method: string, path: string, body?: unknown, opts: RequestOptions = {}) {
    const res = await super.request<T>(method, path, body, opts);
    this.seen.push({ call: `${method} ${path}`, text: res.text + JSON.stringify([...res.headers]) });
    return res;
  }
}

/**
 * One full scenario through the product while every log line and every response is kept:
 * no password, JWT, credential secret, webhook secret, Nango token, Kong key or admin token
 * may appear anywhere except the one response that hands it to its owner.
 */
describe('secrets stay secret across a full scenario', () => {
  let e: FullEnv;
  let db: PrivateDatabase;
  beforeAll(async () => {
    // refresh-all sweeps every tenant's companies: keep it away from other spec files' rows
    db = await createPrivateDatabase('secrets');
    e = await startFullEnv({ LOG_LEVEL: 'debug', DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await e?.close();
    await db?.drop();
  });

  it('keeps every secret out of logs and out of every response but the one that issues it', async () => {
    const http = new RecordingClient(e.t.url);
    const password = 'Sc3nario-passw0rd-!';
    const email = uniqueEmail('secrets');
    const reg = await http.post('/api/auth/register', { email, password, tenantName: 'Secretive' });
    const login = await http.post('/api/auth/login', { email, password });
    const jwt = login.body.accessToken as string;
    await http.post('/api/auth/login', { email, password: `${password}-wrong` });
    await http.get('/api/auth/me', { token: jwt });

    // credential, used by a workflow step against the sink (the sink echoes the header back)
    const credentialSecret = 'cred-secret-7f3a9c1e5b2d4f60';
    const cred = await http.post('/api/credentials', { name: 'sink', connectorKey: 'http', authKind: 'bearer', secrets: { token: credentialSecret }, allowedHosts: ['127.0.0.1'] }, { token: jwt });
    expect(cred.status).toBe(201);
    await http.post(`/api/credentials/${cred.body.id}/test`, undefined, { token: jwt });

    const wf = await http.post(
      '/api/workflows',
      {
        name: 'signed',
        trigger: { type: 'webhook' },
        generateWebhookSecret: true,
        steps: [{ name: 'call', connector: 'http', action: 'request', credentialId: cred.body.id, params: { method: 'POST', url: `${e.sink.url}/hook`, body: { hello: '{{trigger.name}}' } } }],
        settings: { retries: 0 },
      },
      { token: jwt },
    );
    expect(wf.status).toBe(201);
    let webhookSecret: string | undefined = wf.body.webhookSecret;
    if (!webhookSecret) {
      const rotated = await http.post(`/api/workflows/${wf.body.id}/webhook-secret`, undefined, { token: jwt });
      webhookSecret = rotated.body.webhookSecret;
    }
    expect(webhookSecret).toBeTruthy();
    const issuedSecretCall = wf.body.webhookSecret ? `POST /api/workflows` : `POST /api/workflows/${wf.body.id}/webhook-secret`;

    const executionIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const raw = JSON.stringify({ name: `run ${i}`, password: 'payload-password-should-be-redacted' });
      const ts = Math.floor(Date.now() / 1000);
      const sig = createHmac('sha256', webhookSecret!).update(`${ts}.${raw}`).digest('hex');
      const res = await http.post(`/api/webhooks/${wf.body.id}`, undefined, { raw, headers: { 'content-type': 'application/json', 'x-flowgate-signature': `t=${ts},v1=${sig}` } });
      expect(res.status).toBe(202);
      executionIds.push(res.body.executionId);
    }
    await http.post(`/api/webhooks/${wf.body.id}`, { name: 'unsigned' }); // 401, logged
    for (const id of executionIds) {
      const done = await waitForExecution(http, jwt, id);
      expect(done.status).toBe('succeeded');
    }
    expect(e.sink.requests.some((r) => r.headers.authorization === `Bearer ${credentialSecret}`)).toBe(true); // the secret did reach the provider
    await http.get('/api/logs', { token: jwt });
    await http.post(`/api/workflows/${wf.body.id}/dry-run`, { payload: { name: 'dry' } }, { token: jwt });
    await http.get(`/api/workflows/${wf.body.id}/export`, { token: jwt });
    await http.get(`/api/workflows/${wf.body.id}`, { token: jwt });

    // a marketplace company through Nango, then a refresh and a sync
    const url = await http.get('/api/auth/oauth-url', { token: jwt, query: { integration_id: 'hubspot' } });
    const conn = e.nango.completeConnect(url.body.sessionToken);
    const cb = await http.get('/api/auth/callback', { query: { state: url.body.state } });
    expect(cb.status).toBe(200);
    const companyId = cb.body.company.id;
    await http.post(`/api/companies/${companyId}/sync`, undefined, { token: jwt });
    await http.get(`/api/companies/${companyId}`, { token: jwt });
    const admin = { headers: { 'x-admin-token': ADMIN_TOKEN } };
    await http.post('/api/admin/tokens/refresh-all', undefined, admin);
    await new Promise((r) => setTimeout(r, 1000)); // let the refresh and sync jobs run and log
    await http.get('/api/admin/tokens', admin);
    await http.get('/api/admin/system/health', admin);

    // a Kong template that issues an API key once
    const dep = await http.post('/api/kong/templates', { workflow_id: wf.body.id, use_case: 'federated_security' }, { token: jwt });
    expect(dep.status).toBe(201);
    const kongKey = JSON.stringify(dep.body).match(/"(?:api_?[kK]ey|key)":"([^"]{16,})"/)?.[1];
    expect(kongKey).toBeTruthy();
    await http.get(`/api/kong/templates/${dep.body.id ?? dep.body.deployment?.id}`, { token: jwt });
    await http.get('/api/kong/templates', { token: jwt });

    const secrets: Array<{ name: string; value: string; issuedBy: string[] }> = [
      { name: 'password', value: password, issuedBy: [] },
      // (within one second, register and login issue the same token: same claims, same iat)
      { name: 'JWT', value: jwt, issuedBy: ['POST /api/auth/login', 'POST /api/auth/register'] },
      { name: 'first JWT', value: reg.body.accessToken, issuedBy: ['POST /api/auth/register', 'POST /api/auth/login'] },
      { name: 'credential secret', value: credentialSecret, issuedBy: [] },
      { name: 'webhook secret', value: webhookSecret!, issuedBy: [issuedSecretCall] },
      { name: 'Nango access token', value: conn.accessToken, issuedBy: [] },
      { name: 'Nango secret key', value: e.nango.secretKey, issuedBy: [] },
      { name: 'admin token', value: ADMIN_TOKEN, issuedBy: [] },
      { name: 'Kong usage secret', value: KONG_USAGE_SECRET, issuedBy: [] },
      { name: 'Kong API key', value: kongKey!, issuedBy: ['POST /api/kong/templates'] },
      { name: 'payload password', value: 'payload-password-should-be-redacted', issuedBy: [] },
    ];
    if (conn.refreshToken) secrets.push({ name: 'Nango refresh token', value: conn.refreshToken, issuedBy: [] });

    const logText = e.t.logs.join('\n');
    expect(e.t.logs.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const s of secrets) {
      if (logText.includes(s.value)) leaks.push(`${s.name} in the log`);
      for (const r of http.seen) if (r.text.includes(s.value) && !s.issuedBy.includes(r.call)) leaks.push(`${s.name} in the response to ${r.call}`);
    }
    expect(leaks).toEqual([]);
    expect(http.seen.length).toBeGreaterThan(25);
  });
});
