import { DataSource } from 'typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { NangoFake, startNangoFake } from './fakes/nango';
import { HttpClient, RequestOptions } from './support/http-client';
import { ADMIN_TOKEN, FullEnv, KONG_USAGE_SECRET, startFullEnv } from './support/full-env';
import { LogLine, parseLogLines } from './support/log-lines';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { adminDbUrl } from './support/run-env';
import { registerTenant, startTestApp, TestApp, uniqueEmail } from './support/test-app';
import { waitFor } from './support/wait-for';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

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
    const cred = await http.post(
      '/api/credentials',
      { name: 'sink', connectorKey: 'http', authKind: 'bearer', secrets: { token: credentialSecret }, allowedHosts: ['127.0.0.1'] },
      { token: jwt },
    );
    expect(cred.status).toBe(201);
    await http.post(`/api/credentials/${cred.body.id}/test`, undefined, { token: jwt });

    const wf = await http.post(
      '/api/workflows',
      {
        name: 'signed',
        trigger: { type: 'webhook' },
        generateWebhookSecret: true,
        steps: [
          {
            name: 'call',
            connector: 'http',
            action: 'request',
            credentialId: cred.body.id,
            params: { method: 'POST', url: `${e.sink.url}/hook`, body: { hello: '{{trigger.name}}' } },
          },
        ],
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
      const res = await http.post(`/api/webhooks/${wf.body.id}`, undefined, {
        raw,
        headers: { 'content-type': 'application/json', 'x-flowgate-signature': `t=${ts},v1=${sig}` },
      });
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
    const planned = await http.post(
      `/api/workflows/${wf.body.id}/dry-run`,
      { payload: { name: 'dry' }, sideEffects: false },
      { token: jwt },
    );
    expect(planned.body.steps[0].request.headers.authorization).toBe('[redacted]'); // planned: the request it would send, masked
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
      for (const r of http.seen)
        if (r.text.includes(s.value) && !s.issuedBy.includes(r.call)) leaks.push(`${s.name} in the response to ${r.call}`);
    }
    expect(leaks).toEqual([]);
    expect(http.seen.length).toBeGreaterThan(25);

    // The audit log: a credential update with a known new secret records `[changed]`, and no
    // secret is in GET /api/audit, the operator's view or the audit_log table.
    const rotatedSecret = 'cred-secret-rotated-0b9e8d7c6a5f';
    expect((await http.put(`/api/credentials/${cred.body.id}`, { secrets: { token: rotatedSecret } }, { token: jwt })).status).toBe(200);
    const tenantAudit = await http.get('/api/audit', { token: jwt, query: { limit: 200 } });
    expect(tenantAudit.status).toBe(200);
    const credentialRows = tenantAudit.body.items.filter((i: { target: { id: string } }) => i.target.id === cred.body.id);
    expect(credentialRows.map((i: { action: string }) => i.action)).toEqual(
      expect.arrayContaining(['credential.create', 'credential.update']),
    );
    expect(credentialRows.find((i: { action: string }) => i.action === 'credential.update').changes.after).toEqual({
      secrets: '[changed]',
    });
    const adminAudit = await http.get('/api/admin/audit', { ...admin, query: { limit: 200 } });
    expect(adminAudit.status).toBe(200);
    // The scenario's other changes are there too: the OAuth callback's connect (as the user who started it), the sync, the Kong deployment, the admin sweep.
    const byAction = (items: Array<{ action: string }>, action: string) => items.filter((i) => i.action === action);
    expect(byAction(tenantAudit.body.items, 'company.connect')).toEqual([
      expect.objectContaining({ actor: { type: 'user', id: reg.body.user.id, email: null }, target: { type: 'company', id: companyId } }),
    ]);
    expect(byAction(tenantAudit.body.items, 'company.sync')).toHaveLength(1);
    expect(byAction(tenantAudit.body.items, 'kong_deployment.create')).toHaveLength(1);
    expect(byAction(adminAudit.body.items, 'admin.tokens_refresh_all')).toEqual([
      expect.objectContaining({ tenantId: null, actor: expect.objectContaining({ type: 'admin_token' }) }),
    ]);
    const table = await e.t.app.get(DataSource).query('SELECT * FROM audit_log');
    expect(table.length).toBeGreaterThan(5);
    const auditLeaks: string[] = [];
    for (const s of [...secrets, { name: 'rotated credential secret', value: rotatedSecret }]) {
      if (tenantAudit.text.includes(s.value)) auditLeaks.push(`${s.name} in GET /api/audit`);
      if (adminAudit.text.includes(s.value)) auditLeaks.push(`${s.name} in GET /api/admin/audit`);
      if (JSON.stringify(table).includes(s.value)) auditLeaks.push(`${s.name} in audit_log`);
    }
    expect(auditLeaks).toEqual([]);
  });
});

/**
 * Every name the secret-name matcher must catch, each in the spelling a payload would use
 * (core/secrets/secret-names.ts normalises case and separators; its unit spec covers the rest).
 */
const SECRET_PAYLOAD_KEYS = [
  'secret_key',
  'secretKey',
  'Secret-Key',
  'SECRETKEY',
  'access_key',
  'aws_secret_access_key',
  'pwd',
  'passphrase',
  'api_token',
  'x-auth-token',
  'token',
  'password',
  'passwd',
  'secret',
  'apikey',
  'api_key',
  'x-api-key',
  'private_key',
  'client_secret',
  'authorization',
  'cookie',
  'set-cookie',
  'session',
  'signature',
  'refresh_token',
  'id_token',
];

/** A webhook payload carrying every secret name at the top, nested, in arrays and under `credentials`. */
function payloadWithSecrets(tag: string) {
  const values: string[] = [];
  const v = (where: string) => {
    const value = `sv-${where}-${tag}-${randomBytes(4).toString('hex')}`;
    values.push(value);
    return value;
  };
  const top = Object.fromEntries(SECRET_PAYLOAD_KEYS.map((k) => [k, v(k)]));
  const payload = {
    ...top,
    customer: 'Ada',
    tokens_used: 1234,
    token_count: 7,
    credentialId: 'cred-ref-1',
    nested: { deeper: { secretKey: v('nested.secretKey'), note: 'kept' } },
    list: [{ pwd: v('list.pwd') }, { 'X-Auth-Token': v('list.xauth') }, { Passphrase: v('list.passphrase') }],
    credentials: { username: v('credentials.username'), region: v('credentials.region') },
    secrets: { anything: v('secrets.anything') },
  };
  return { payload, values };
}

/** The secret values that appear anywhere in `what`, named by where they were put. */
function leaked(what: unknown, values: string[]): string[] {
  const text = JSON.stringify(what);
  return values.filter((x) => text.includes(x));
}

describe('stored executions and dry runs hide every secret name (shared matcher)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a webhook payload with every secret name, nested, in arrays and under credentials: input, step input and output redacted; counters stay', async () => {
    const owner = await registerTenant(t.http, 'Redaction');
    const wf = await createWorkflow(t.http, owner.token, {
      name: 'copies the payload',
      trigger: { type: 'webhook' },
      steps: [{ name: 'copy', type: 'transform', params: { all: '{{trigger}}', items: '{{trigger.list}}' } }],
      settings: { retries: 0 },
    });
    const { payload, values } = payloadWithSecrets('run');
    const hook = await t.http.post(`/api/webhooks/${wf.id}`, payload);
    expect(hook.status).toBe(202);
    const done = await waitForExecution(t.http, owner.token, hook.body.executionId);
    expect(done.status).toBe('succeeded');
    const [step] = done.steps;

    expect(leaked(done.input, values)).toEqual([]);
    expect(leaked(step.input, values)).toEqual([]);
    expect(leaked(step.output, values)).toEqual([]);
    for (const stored of [done.input, step.input.all, step.output.all]) {
      for (const k of SECRET_PAYLOAD_KEYS) expect([k, stored[k]]).toEqual([k, '[redacted]']);
      expect(stored).toMatchObject({
        customer: 'Ada',
        tokens_used: 1234,
        token_count: 7,
        credentialId: 'cred-ref-1',
        nested: { deeper: { secretKey: '[redacted]', note: 'kept' } },
        list: [{ pwd: '[redacted]' }, { 'X-Auth-Token': '[redacted]' }, { Passphrase: '[redacted]' }],
        credentials: '[redacted]',
        secrets: '[redacted]',
      });
    }
    expect(step.output.items).toEqual([{ pwd: '[redacted]' }, { 'X-Auth-Token': '[redacted]' }, { Passphrase: '[redacted]' }]);

    // the same rule for a dry run's answer, and nothing of it in the log
    const dry = await t.http.post(
      `/api/workflows/${wf.id}/dry-run`,
      { payload: payloadWithSecrets('dry').payload },
      { token: owner.token },
    );
    expect(dry.status).toBe(200);
    expect(dry.body.steps[0].output.all).toMatchObject({
      secret_key: '[redacted]',
      'x-auth-token': '[redacted]',
      credentials: '[redacted]',
      tokens_used: 1234,
    });
    expect(leaked(dry.body, values)).toEqual([]);
    expect(leaked(t.logs, values)).toEqual([]);
  });
});

/**
 * A log scan over failures, where secrets used to slip out: a 503 on a route whose query
 * string holds a secret (the OAuth callback's signed `state` while Nango is away), and
 * database errors with bound values on the API and on the worker (the database turned
 * read-only, as after a failover to a standby: every write fails with SQLSTATE 25006).
 */
describe('failures log the route template, the code and the request id; never a query string, SQL or a bound value', () => {
  let db: PrivateDatabase;
  let nango: NangoFake;
  let t: TestApp;
  const admin = new Client({ connectionString: adminDbUrl() });
  const dbName = () => new URL(db.url).pathname.slice(1);

  beforeAll(async () => {
    db = await createPrivateDatabase('logscan');
    nango = await startNangoFake();
    nango.addIntegration('hubspot', 'hubspot');
    t = await startTestApp({
      LOG_LEVEL: 'debug',
      DATABASE_URL: db.url,
      NANGO_HOST: nango.url,
      NANGO_SECRET_KEY: nango.secretKey,
      NANGO_WEBHOOK_SECRET: nango.webhookSecret,
    });
    await admin.connect();
  });
  afterAll(async () => {
    await t?.close();
    await nango?.close().catch(() => undefined);
    await admin.end().catch(() => undefined);
    await db?.drop();
  });

  it('a 503 with a secret in the query string, and SQL errors on the API and the worker', async () => {
    const owner = await registerTenant(t.http, 'Log scan');
    const wf = await createWorkflow(t.http, owner.token, {
      name: 'stores its input',
      trigger: { type: 'webhook' },
      steps: [{ name: 'shape', type: 'transform', params: { note: '{{trigger.note}}' } }],
      settings: { retries: 0 },
    });
    const url = await t.http.get('/api/auth/oauth-url', { token: owner.token, query: { integration_id: 'hubspot' } });
    expect(url.status).toBe(200);
    const state: string = url.body.state;

    // 1. query strings: a 503 (Nango away) and a request on a templated route
    await nango.close();
    const callback = await t.http.get('/api/auth/callback', { query: { state } });
    expect(callback.body).toMatchObject({ statusCode: 503, code: 'NANGO_UNREACHABLE' });
    const queryMarker = `qs-secret-${randomBytes(6).toString('hex')}`;
    const withQuery = await t.http.get(`/api/workflows/${wf.id}`, { token: owner.token, query: { api_key: queryMarker } });
    expect(withQuery.status).toBe(200);

    // 2. the database refuses writes: new sessions are read-only, the open ones are cut
    await admin.query(`ALTER DATABASE "${dbName()}" SET default_transaction_read_only = on`);
    const cut = await admin.query(
      'SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [dbName()],
    );
    const pids = cut.rows.map((r: { pid: number }) => r.pid);
    await waitFor(
      async () => (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1)', [pids])).rows[0].n === 0,
      'the cut sessions to end',
    );
    // reads still work once the pool has dropped its cut connections
    await waitFor(
      async () => (await t.http.get('/api/workflows', { token: owner.token })).status === 200,
      'reads on the read-only database',
    );

    const email = uniqueEmail('bound-value');
    const password = `bound-password-${randomBytes(6).toString('hex')}`;
    const tenantName = `bound-tenant-${randomBytes(6).toString('hex')}`;
    // A write on a read-only database is a server failure no operation documents: read it without the contract check.
    const register = await new HttpClient(t.url).post('/api/auth/register', { email, password, tenantName });
    expect(register.body).toMatchObject({ statusCode: 500, code: 'INTERNAL' });

    const note = `bound-payload-${randomBytes(6).toString('hex')}`;
    const hook = await t.http.post(`/api/webhooks/${wf.id}`, { note });
    expect(hook.status).toBe(202);
    const executionId: string = hook.body.executionId;
    const workerLine = await waitFor(
      () => parseLogLines(t.logs).find((l) => l.executionId === executionId && l.err),
      'the worker to log the refused write',
    );

    await admin.query(`ALTER DATABASE "${dbName()}" RESET default_transaction_read_only`);

    const lines = parseLogLines(t.logs);
    const text = t.logs.join('\n');
    const forbidden: Array<[string, string]> = [
      ['OAuth state (query string)', state],
      ['OAuth state signature', state.split('.').pop()!],
      ['query string value', queryMarker],
      ['bound email', email],
      ['bound password', password],
      ['bound tenant name', tenantName],
      ['bound payload value', note],
      ['password hash', '$argon2'],
      ['SQL', 'INSERT INTO'],
      ['SQL', 'SELECT "'],
      ['SQL', 'UPDATE "'],
      ['SQL placeholder', '$1'],
      ['TypeORM query field', '"query":'],
      ['TypeORM parameters field', '"parameters":'],
      ['driver error', 'driverError'],
      ['row detail', 'Key ('],
    ];
    expect(forbidden.filter(([, v]) => text.includes(v)).map(([what]) => what)).toEqual([]);

    const ofRequest = (id: string | null) => lines.filter((l: LogLine) => l.reqId === id || l.req?.id === id);
    const cbId = callback.headers.get('x-request-id');
    expect(ofRequest(cbId).find((l) => l.code)).toMatchObject({
      reqId: cbId,
      route: '/api/auth/callback',
      code: 'NANGO_UNREACHABLE',
      statusCode: 503,
    });
    expect(ofRequest(cbId).find((l) => l.res)).toMatchObject({
      req: { id: cbId, url: '/api/auth/callback', route: '/api/auth/callback' },
      res: { statusCode: 503 },
    });
    const wqId = withQuery.headers.get('x-request-id');
    expect(ofRequest(wqId).find((l) => l.res)).toMatchObject({
      req: { id: wqId, url: `/api/workflows/${wf.id}`, route: '/api/workflows/:id' },
      res: { statusCode: 200 },
    });

    const regId = register.headers.get('x-request-id');
    expect(ofRequest(regId).find((l) => l.err)).toMatchObject({
      reqId: regId,
      route: '/api/auth/register',
      code: 'INTERNAL',
      statusCode: 500,
      err: { type: 'QueryFailedError', code: '25006', message: expect.stringContaining('read-only transaction') },
    });
    expect(workerLine).toMatchObject({ executionId, err: { type: 'QueryFailedError', code: '25006' } });
  });
});
