import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DeploymentSecretsService } from '../src/modules/kong/deploy/deployment-secrets.service';
import { KongTemplatesService } from '../src/modules/kong/kong-templates.service';
import { WorkflowCache } from '../src/modules/workflows/workflow-cache';
import { KongFake, startKongFake } from './fakes/kong-admin.fake';
import { kongProxy } from './fakes/kong-proxy.fake';
import { applyTemplate, createWorkflow, deploymentTags } from './kong.helpers';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

/**
 * The five templates against a fake Kong (DB mode) that validates like Kong: what each one
 * makes, that applying twice changes nothing, that delete leaves nothing, and isolation.
 */
describe('Kong templates (DB mode, real HTTP/PostgreSQL, fake Kong Admin API)', () => {
  let kong: KongFake;
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    kong = await startKongFake();
    t = await startTestApp({
      KONG_ADMIN_URL: kong.url,
      KONG_MODE: 'db',
      KONG_USAGE_SECRET: 'usage-secret-for-tests-0123456789',
      FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://flowgate.internal:3000',
      KONG_ADMIN_RETRIES: '2',
    });
    owner = await registerTenant(t.http);
  });
  afterAll(async () => {
    await t?.close();
    await kong?.close();
  });

  const entitiesOf = (deploymentId: string) => ({
    services: kong.tagged('services', `deployment:${deploymentId}`),
    routes: kong.tagged('routes', `deployment:${deploymentId}`),
    plugins: kong.tagged('plugins', `deployment:${deploymentId}`),
  });

  /** The request-transformer that makes a webhook-fronting route send its deployment's gateway secret to the webhook. */
  const expectGatewayHeader = (plugin: Record<string, any> | undefined) => {
    expect(plugin).toMatchObject({ name: 'request-transformer', config: { remove: { headers: ['x-flowgate-gateway-secret'] } } });
    expect(plugin!.config.add.headers).toEqual([expect.stringMatching(/^x-flowgate-gateway-secret:[A-Za-z0-9_-]{40,}$/)]);
  };

  it('webhook_handler: one service to the webhook, one route, rate-limiting 100/s by default, the gateway secret for the webhook', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      workflow_id: wf,
      use_case: 'webhook_handler',
      status: 'active',
      mode: 'db',
      created: true,
      path: `/workflows/${wf}/webhook`,
    });
    const { services, routes, plugins } = entitiesOf(res.body.id);
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({ host: 'flowgate.internal', port: 3000, path: `/api/webhooks/${wf}` });
    expect(services[0].tags).toEqual(deploymentTags(owner.tenantId, wf, res.body.id));
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({
      paths: [`/workflows/${wf}/webhook`],
      methods: ['POST'],
      strip_path: true,
      service: { id: services[0].id },
    });
    expect(plugins.map((p) => p.name)).toEqual(['rate-limiting', 'request-transformer']);
    expect(plugins[0]).toMatchObject({
      name: 'rate-limiting',
      route: { id: routes[0].id },
      config: { second: 100, policy: 'local', limit_by: 'ip' },
    });
    expect(plugins[0].tags).toEqual(deploymentTags(owner.tenantId, wf, res.body.id));
    expectGatewayHeader(plugins[1]);
    expect(plugins[1].route).toEqual({ id: routes[0].id });
    expect(res.text).not.toContain(plugins[1].config.add.headers[0].split(':')[1]);
  });

  it('webhook_handler: custom limits, and the Redis policy only when Redis settings exist (400 before Kong otherwise)', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler', { second: 5, minute: 200, hide_client_headers: true });
    expect(res.status).toBe(201);
    expect(entitiesOf(res.body.id).plugins[0].config).toMatchObject({ second: 5, minute: 200, hide_client_headers: true });

    const before = kong.requests.length;
    const wf2 = await createWorkflow(t.http, owner.token);
    const redis = await applyTemplate(t.http, owner.token, wf2, 'webhook_handler', { policy: 'redis' });
    expect(redis.status).toBe(400);
    expect(redis.body.details.map((d: { field: string }) => d.field)).toEqual(['options.policy']);
    expect(kong.requests.length).toBe(before);
  });

  it('webhook_handler with limit_by "path": 400 naming options.path without it; with the route path, Kong gets config.path', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const before = kong.requests.length;
    const missing = await applyTemplate(t.http, owner.token, wf, 'webhook_handler', { limit_by: 'path' });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ field: 'options.path', message: 'options.path is required when options.limit_by is "path"' }]);
    expect(kong.requests.length).toBe(before);
    const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler', { limit_by: 'path', path: `/workflows/${wf}/webhook` });
    expect(res.status).toBe(201);
    expect(entitiesOf(res.body.id).plugins[0].config).toMatchObject({ limit_by: 'path', path: `/workflows/${wf}/webhook` });
  });

  it('protocol_bridge: route to the bridge endpoint, request-transformer adding the gateway secret', async () => {
    const wf = await createWorkflow(t.http, owner.token, {
      steps: [
        {
          name: 'legacy',
          connector: 'soap',
          action: 'call',
          params: {
            url: 'http://legacy.example/service.asmx',
            operation: 'GetWeather',
            namespace: 'http://flowgate.test/legacy/',
            params: { City: '{{trigger.city}}' },
          },
        },
      ],
    });
    const res = await applyTemplate(t.http, owner.token, wf, 'protocol_bridge');
    expect(res.body).toMatchObject({ status: 'active' });
    expect(res.status).toBe(201);
    const { services, routes, plugins } = entitiesOf(res.body.id);
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({ path: `/api/kong/bridge/${res.body.id}`, read_timeout: 60000 });
    expect(routes).toEqual([expect.objectContaining({ paths: [`/workflows/${wf}/bridge`], methods: ['POST'] })]);
    expect(plugins.map((p) => p.name)).toEqual(['request-transformer']);
    const rt = plugins[0].config as { remove: { headers: string[] }; add: { headers: string[] } };
    expect(rt.remove.headers).toEqual(['x-flowgate-gateway-secret']);
    expect(rt.add.headers[0]).toMatch(/^x-flowgate-gateway-secret:[A-Za-z0-9_-]{40,}$/);
    // The gateway secret is Kong's business: never in Flowgate's answers.
    expect(JSON.stringify(res.body)).not.toContain(rt.add.headers[0].split(':')[1]);
  });

  it('protocol_bridge refuses a workflow without a soap step (400, Kong untouched)', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const before = kong.requests.length;
    const res = await applyTemplate(t.http, owner.token, wf, 'protocol_bridge');
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('workflow_id');
    expect(kong.requests.length).toBe(before);
  });

  it('smart_aggregator: route to the aggregate endpoint behind proxy-cache (300 s, memory)', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'smart_aggregator');
    expect(res.body).toMatchObject({ status: 'active' });
    expect(res.status).toBe(201);
    const { services, routes, plugins } = entitiesOf(res.body.id);
    expect(services[0]).toMatchObject({ path: `/api/kong/aggregate/${res.body.id}` });
    expect(routes[0]).toMatchObject({ paths: [`/workflows/${wf}/aggregate`], methods: ['GET', 'HEAD'] });
    expect(plugins.map((p) => p.name).sort()).toEqual(['proxy-cache', 'request-transformer']);
    const cache = plugins.find((p) => p.name === 'proxy-cache')!;
    expect(cache.config).toMatchObject({ strategy: 'memory', cache_ttl: 300, request_method: ['GET', 'HEAD'], response_code: [200] });
    expect(cache.config.content_type).toContain('application/json; charset=utf-8');
  });

  it('federated_security (key-auth): route with key-auth + acl (+ the gateway secret), a consumer per tenant, the key returned once', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'federated_security');
    expect(res.status).toBe(201);
    const key = res.body.credentials.api_key as string;
    expect(key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(res.body.credentials.key_names).toEqual(['apikey']);
    const { routes, plugins } = entitiesOf(res.body.id);
    expect(routes[0]).toMatchObject({ paths: [`/workflows/${wf}/secure`] });
    expect(plugins.map((p) => p.name).sort()).toEqual(['acl', 'key-auth', 'request-transformer']);
    expectGatewayHeader(plugins.find((p) => p.name === 'request-transformer'));
    expect(plugins.find((p) => p.name === 'acl')!.config).toEqual({
      allow: [`flowgate-deployment-${res.body.id}`],
      hide_groups_header: true,
    });
    const consumers = kong.tagged('consumers', `tenant:${owner.tenantId}`);
    expect(consumers).toEqual([expect.objectContaining({ username: `flowgate-tenant-${owner.tenantId}`, custom_id: owner.tenantId })]);
    const keys = kong.tagged('keyauth_credentials', `deployment:${res.body.id}`);
    expect(keys).toHaveLength(1);
    expect(keys[0].key).toBe(key);
    expect(kong.tagged('acls', `deployment:${res.body.id}`)).toEqual([
      expect.objectContaining({ group: `flowgate-deployment-${res.body.id}` }),
    ]);

    // Never again: not in GET, not in the re-apply answer, not in a log line.
    const get = await t.http.get(`/api/kong/templates/${res.body.id}`, { token: owner.token });
    expect(get.text).not.toContain(key);
    const again = await applyTemplate(t.http, owner.token, wf, 'federated_security');
    expect(again.status).toBe(200);
    expect(again.body.credentials).toBeUndefined();
    expect(again.text).not.toContain(key);
    expect(t.logs.join('\n')).not.toContain(key);
  });

  it('federated_security (oauth2): oauth2 plugin with client credentials, the client secret returned once', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'federated_security', {
      auth: 'oauth2',
      scopes: ['read'],
      mandatory_scope: true,
    });
    expect(res.status).toBe(201);
    expect(res.body.credentials).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      token_path: `/workflows/${wf}/secure/oauth2/token`,
    });
    const { plugins } = entitiesOf(res.body.id);
    expect(plugins.map((p) => p.name).sort()).toEqual(['acl', 'oauth2', 'request-transformer']);
    expect(plugins.find((p) => p.name === 'oauth2')!.config).toMatchObject({
      enable_client_credentials: true,
      scopes: ['read'],
      mandatory_scope: true,
      token_expiration: 7200,
    });
    const apps = kong.tagged('oauth2_credentials', `deployment:${res.body.id}`);
    expect(apps).toEqual([expect.objectContaining({ client_id: res.body.credentials.client_id })]);
    expect(t.logs.join('\n')).not.toContain(res.body.credentials.client_secret);
  });

  it('usage_tracking: route with http-log to the usage endpoint carrying the shared secret header (+ the gateway secret)', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'usage_tracking', { max_batch_size: 10 });
    expect(res.status).toBe(201);
    const { routes, plugins } = entitiesOf(res.body.id);
    expect(routes[0]).toMatchObject({ paths: [`/workflows/${wf}/metered`] });
    expect(plugins.map((p) => p.name)).toEqual(['http-log', 'request-transformer']);
    expectGatewayHeader(plugins[1]);
    expect(plugins[0]).toMatchObject({
      name: 'http-log',
      config: {
        http_endpoint: 'http://flowgate.internal:3000/api/kong/usage',
        method: 'POST',
        headers: { 'x-kong-usage-secret': 'usage-secret-for-tests-0123456789' },
        queue: { max_batch_size: 10, max_coalescing_delay: 1 },
      },
    });
  });

  it('re-applying the same template is a no-op: same deployment, same entities, no new ones', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const first = await applyTemplate(t.http, owner.token, wf, 'smart_aggregator', { cache_ttl: 60 });
    expect(first.status).toBe(201);
    const counts = kong.counts();
    const ids = Object.values(entitiesOf(first.body.id))
      .flat()
      .map((e) => e.id)
      .sort();
    const mark = kong.requests.length;

    const second = await applyTemplate(t.http, owner.token, wf, 'smart_aggregator', { cache_ttl: 60 });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, created: false, options: first.body.options });
    expect(kong.counts()).toEqual(counts);
    expect(
      Object.values(entitiesOf(first.body.id))
        .flat()
        .map((e) => e.id)
        .sort(),
    ).toEqual(ids);
    expect(kong.requests.slice(mark).filter((r) => r.method === 'POST')).toEqual([]);
    const list = await t.http.get('/api/kong/templates', { token: owner.token });
    expect(list.body.filter((d: { workflow_id: string }) => d.workflow_id === wf)).toHaveLength(1);
  });

  it('re-applying with new options updates the same entities in place', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const first = await applyTemplate(t.http, owner.token, wf, 'webhook_handler', { second: 10 });
    const pluginId = entitiesOf(first.body.id).plugins[0].id;
    const second = await applyTemplate(t.http, owner.token, wf, 'webhook_handler', { second: 20, minute: 600 });
    expect(second.status).toBe(200);
    expect(second.body.options).toMatchObject({ second: 20, minute: 600 });
    const plugins = entitiesOf(first.body.id).plugins;
    expect(plugins.map((p) => p.name)).toEqual(['rate-limiting', 'request-transformer']);
    expect(plugins[0]).toMatchObject({ id: pluginId, config: { second: 20, minute: 600 } });
  });

  it('switching federated_security from key-auth to oauth2 removes the key-auth plugin and key', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const first = await applyTemplate(t.http, owner.token, wf, 'federated_security');
    const switched = await applyTemplate(t.http, owner.token, wf, 'federated_security', { auth: 'oauth2' });
    expect(switched.status).toBe(200);
    expect(switched.body.credentials.client_secret).toEqual(expect.any(String));
    expect(
      entitiesOf(first.body.id)
        .plugins.map((p) => p.name)
        .sort(),
    ).toEqual(['acl', 'oauth2', 'request-transformer']);
    expect(kong.tagged('keyauth_credentials', `deployment:${first.body.id}`)).toEqual([]);
  });

  it('delete removes everything it made (found by tags), and the tenant consumer with its last user', async () => {
    const other = await registerTenant(t.http);
    const wf = await createWorkflow(t.http, other.token);
    const a = await applyTemplate(t.http, other.token, wf, 'federated_security');
    const b = await applyTemplate(t.http, other.token, wf, 'webhook_handler');
    const wf2 = await createWorkflow(t.http, other.token);
    const c = await applyTemplate(t.http, other.token, wf2, 'federated_security');
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);

    expect((await t.http.delete(`/api/kong/templates/${b.body.id}`, { token: other.token })).status).toBe(204);
    for (const coll of ['services', 'routes', 'plugins'] as const) expect(kong.tagged(coll, `deployment:${b.body.id}`)).toEqual([]);

    expect((await t.http.delete(`/api/kong/templates/${a.body.id}`, { token: other.token })).status).toBe(204);
    for (const coll of ['services', 'routes', 'plugins', 'keyauth_credentials', 'acls'] as const)
      expect(kong.tagged(coll, `deployment:${a.body.id}`)).toEqual([]);
    // Still used by deployment c.
    expect(kong.tagged('consumers', `tenant:${other.tenantId}`)).toHaveLength(1);
    expect(kong.tagged('keyauth_credentials', `deployment:${c.body.id}`)).toHaveLength(1);

    expect((await t.http.delete(`/api/kong/templates/${c.body.id}`, { token: other.token })).status).toBe(204);
    expect(kong.tagged('consumers', `tenant:${other.tenantId}`)).toEqual([]);
    for (const coll of ['services', 'routes', 'plugins', 'keyauth_credentials', 'acls', 'consumers'] as const) {
      expect(kong.tagged(coll, `tenant:${other.tenantId}`)).toEqual([]);
    }
    expect((await t.http.get(`/api/kong/templates/${c.body.id}`, { token: other.token })).status).toBe(404);
  });

  it('another tenant cannot see, re-apply onto, or delete a deployment (404 on every verb)', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const mine = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
    const intruder = await registerTenant(t.http);
    const before = kong.counts();

    expect((await t.http.get(`/api/kong/templates/${mine.body.id}`, { token: intruder.token })).status).toBe(404);
    expect((await t.http.delete(`/api/kong/templates/${mine.body.id}`, { token: intruder.token })).status).toBe(404);
    const list = await t.http.get('/api/kong/templates', { token: intruder.token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    // Applying a template to someone else's workflow: the workflow is not found.
    const steal = await applyTemplate(t.http, intruder.token, wf, 'webhook_handler');
    expect(steal.status).toBe(404);
    expect(kong.counts()).toEqual(before);
    expect((await t.http.get(`/api/kong/templates/${mine.body.id}`, { token: owner.token })).status).toBe(200);
  });

  it('at start, a webhook-fronting deployment stored without a gateway secret (older version) gets one, Kong sends it, and direct calls stop', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const dep = await applyTemplate(t.http, owner.token, wf, 'federated_security');
    expect(dep.status).toBe(201);
    // Make it look like a deployment from before: no gateway secret stored, none on Kong's route.
    const secrets = t.app.get(DeploymentSecretsService);
    await t.app
      .get(DataSource)
      .query('UPDATE kong_deployments SET secrets_ciphertext = $2 WHERE id = $1', [
        dep.body.id,
        secrets.seal(dep.body.id, { apiKey: dep.body.credentials.api_key }),
      ]);
    const rt = kong.state.plugins.findIndex((p) => p.name === 'request-transformer' && p.tags?.includes(`deployment:${dep.body.id}`));
    kong.state.plugins.splice(rt, 1);
    t.app.get(WorkflowCache).invalidate(wf);
    expect((await t.http.post(`/api/webhooks/${wf}`, {})).status).toBe(202);

    expect(await t.app.get(KongTemplatesService).gateLegacyWebhookFronts()).toBe(1);
    expectGatewayHeader(kong.tagged('plugins', `deployment:${dep.body.id}`).find((p) => p.name === 'request-transformer'));
    const direct = await t.http.post(`/api/webhooks/${wf}`, {});
    expect(direct.status).toBe(401);
    expect(direct.body.code).toBe('GATEWAY_SECRET_REQUIRED');
    const through = await kongProxy(kong, t.url)('POST', `/workflows/${wf}/secure`, {
      headers: { apikey: dep.body.credentials.api_key },
      body: {},
    });
    expect(through.status).toBe(202);
    // Once is enough; the API key is kept.
    expect(await t.app.get(KongTemplatesService).gateLegacyWebhookFronts()).toBe(0);
    expect(kong.tagged('keyauth_credentials', `deployment:${dep.body.id}`)[0].key).toBe(dep.body.credentials.api_key);
  });

  it('bad options are a 400 naming the option, before Kong is called', async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const mark = kong.requests.length;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['webhook_handler', { second: -1 }, 'options.second'],
      ['webhook_handler', { burst: 10 }, 'options.burst'],
      ['webhook_handler', { second: 100, minute: 50 }, 'options.minute'],
      ['smart_aggregator', { cache_ttl: 'long' }, 'options.cache_ttl'],
      ['smart_aggregator', { steps: ['nope'] }, 'options.steps[0]'],
      ['federated_security', { auth: 'basic' }, 'options.auth'],
      ['federated_security', { scopes: ['a'] }, 'options.scopes'],
      ['usage_tracking', { max_batch_size: 0 }, 'options.max_batch_size'],
      ['protocol_bridge', { step: 42 }, 'options.step'],
    ];
    for (const [useCase, options, field] of cases) {
      const res = await applyTemplate(t.http, owner.token, wf, useCase, options);
      expect({ useCase, status: res.status, code: res.body.code }).toEqual({ useCase, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const unknown = await t.http.post('/api/kong/templates', { workflow_id: wf, use_case: 'teleport' }, { token: owner.token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].field).toBe('use_case');
    const badId = await t.http.post('/api/kong/templates', { workflow_id: 'nope', use_case: 'webhook_handler' }, { token: owner.token });
    expect(badId.status).toBe(400);
    const extra = await t.http.post(
      '/api/kong/templates',
      { workflow_id: wf, use_case: 'webhook_handler', force: true },
      { token: owner.token },
    );
    expect(extra.body.details.map((d: { field: string }) => d.field)).toEqual(['force']);
    const listed = await t.http.post(
      '/api/kong/templates',
      { workflow_id: wf, use_case: 'webhook_handler', options: [] },
      { token: owner.token },
    );
    expect(listed.body.details.map((d: { field: string }) => d.field)).toEqual(['options']);
    expect(kong.requests.length).toBe(mark);
  });

  it("the document's request example applies as-is to one of your workflows", async () => {
    const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
    const props = doc.components.schemas.ApplyKongTemplateDto.properties;
    const wf = await createWorkflow(t.http, owner.token);
    const res = await t.http.post(
      '/api/kong/templates',
      { workflow_id: wf, use_case: props.use_case.example, options: props.options.example },
      { token: owner.token },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ use_case: props.use_case.example, options: props.options.example, status: 'active' });
    expect((await t.http.delete(`/api/kong/templates/${res.body.id}`, { token: owner.token })).status).toBe(204);
  });

  describe('Kong errors become clear answers', () => {
    it('schema violation → 400 naming Kong fields; nothing is left behind', async () => {
      const wf = await createWorkflow(t.http, owner.token);
      kong.failNext({
        status: 400,
        body: {
          code: 2,
          name: 'schema violation',
          message: 'schema violation (config.second: expected a number)',
          fields: { config: { second: 'expected a number' } },
        },
      });
      const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'KONG_SCHEMA_VIOLATION',
        details: [{ field: 'config.second', message: 'expected a number' }],
      });
      expect(res.body.message).toContain('config.second');
      const list = await t.http.get('/api/kong/templates', { token: owner.token });
      expect(list.body.filter((d: { workflow_id: string }) => d.workflow_id === wf)).toEqual([]);
      expect(kong.tagged('services', `workflow:${wf}`)).toEqual([]);
    });

    it('unique violation → 409', async () => {
      const wf = await createWorkflow(t.http, owner.token);
      kong.failNext({
        status: 409,
        body: {
          code: 5,
          name: 'unique constraint violation',
          message: 'UNIQUE violation detected on \'{name="x"}\'',
          fields: { name: "already exists with value 'x'" },
        },
      });
      const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('KONG_UNIQUE_VIOLATION');
    });

    it('a DB-less Kong answering 405 → 502 telling the operator to set KONG_MODE=dbless', async () => {
      const wf = await createWorkflow(t.http, owner.token);
      kong.mode = 'dbless';
      try {
        const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
        expect(res.status).toBe(502);
        expect(res.body.code).toBe('KONG_DBLESS_READ_ONLY');
        expect(res.body.message).toContain('KONG_MODE=dbless');
      } finally {
        kong.mode = 'db';
      }
    });

    it('retries idempotent calls on 5xx, never a POST', async () => {
      const wf = await createWorkflow(t.http, owner.token);
      let mark = kong.requests.length;
      kong.failMatching('PUT', /^\/services\//, { status: 503, body: { message: 'upstream busy' } }, 2);
      const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
      expect(res.status).toBe(201);
      expect(kong.requests.slice(mark).filter((r) => r.method === 'PUT' && r.path.startsWith('/services/'))).toHaveLength(3);

      const wf2 = await createWorkflow(t.http, owner.token);
      mark = kong.requests.length;
      kong.failMatching('POST', /\/plugins$/, { status: 500, body: { message: 'An unexpected error occurred' } }, 1);
      const failed = await applyTemplate(t.http, owner.token, wf2, 'webhook_handler');
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe('KONG_ERROR');
      expect(kong.requests.slice(mark).filter((r) => r.method === 'POST' && r.path.endsWith('/plugins'))).toHaveLength(1);
      // The failed first apply cleaned up after itself.
      expect(kong.tagged('services', `workflow:${wf2}`)).toEqual([]);
    });
    it('a failed first federated_security apply leaves no consumer, key or route behind', async () => {
      const fresh = await registerTenant(t.http);
      const wf = await createWorkflow(t.http, fresh.token);
      kong.failMatching('POST', /\/key-auth$/, { status: 500, body: { message: 'An unexpected error occurred' } });
      const res = await applyTemplate(t.http, fresh.token, wf, 'federated_security');
      expect(res.status).toBe(502);
      for (const coll of ['services', 'routes', 'plugins', 'consumers', 'keyauth_credentials', 'acls'] as const) {
        expect(kong.tagged(coll, `tenant:${fresh.tenantId}`)).toEqual([]);
      }
      expect((await t.http.get('/api/kong/templates', { token: fresh.token })).body).toEqual([]);
      // The next try works and returns a key.
      const retry = await applyTemplate(t.http, fresh.token, wf, 'federated_security');
      expect(retry.status).toBe(201);
      expect(retry.body.credentials.api_key).toEqual(expect.any(String));
    });
  });

  describe('GET /api/kong/status', () => {
    it("reports Kong's /status", async () => {
      const res = await t.http.get('/api/kong/status', { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode: 'db', reachable: true, status: { database: { reachable: true } } });
    });

    it('needs a token', async () => {
      expect((await t.http.get('/api/kong/status')).status).toBe(401);
    });
  });
});
