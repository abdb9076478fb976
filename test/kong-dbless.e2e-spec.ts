import { DataSource } from 'typeorm';
import { DBLESS_LOCK, DblessConfigService } from '../src/modules/kong/deploy/dbless-config.service';
import { DeploymentSecretsService } from '../src/modules/kong/deploy/deployment-secrets.service';
import { KongDeploymentsRepository } from '../src/modules/kong/kong-deployments.repository';
import { KongTemplatesService } from '../src/modules/kong/kong-templates.service';
import { WorkflowCache } from '../src/modules/workflows/workflow-cache';
import { KongFake, startKongFake } from './fakes/kong-admin.fake';
import { kongProxy } from './fakes/kong-proxy.fake';
import { applyTemplate, createWorkflow } from './kong.helpers';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

type Declarative = { _format_version: string; services: any[]; consumers?: any[] };

/**
 * KONG_MODE=dbless: Flowgate renders the whole declarative config (its base routes plus every
 * deployment) and loads it with POST /config; the fake Kong validates it and replaces its
 * state, and refuses any other write with 405. Other test files may add deployments to the
 * same database, so assertions look at this file's tenants only.
 */
describe('Kong DB-less mode (POST /config)', () => {
  let kong: KongFake;
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerTenant>>;
  let b: Awaited<ReturnType<typeof registerTenant>>;
  const JWT_SECRET = 'kong-dbless-spec-jwt-secret-0123456789abcdef';
  const ENCRYPTION_KEY = 'a'.repeat(64);
  const env = (extra: Record<string, string> = {}) => ({
    KONG_ADMIN_URL: kong.url,
    KONG_MODE: 'dbless',
    KONG_USAGE_SECRET: 'dbless-usage-secret-0123456789',
    JWT_SECRET,
    ENCRYPTION_KEY,
    KONG_DBLESS_RECONCILE_SECONDS: '0',
    ...extra,
  });

  const last = (): Declarative => kong.loadedConfigs.at(-1) as Declarative;
  const servicesOf = (cfg: Declarative, tenantId: string) => cfg.services.filter((s) => (s.tags ?? []).includes(`tenant:${tenantId}`));

  beforeAll(async () => {
    kong = await startKongFake({ mode: 'dbless' });
    t = await startTestApp(env());
    a = await registerTenant(t.http, 'DB-less A');
    b = await registerTenant(t.http, 'DB-less B');
  });
  afterAll(async () => {
    await t?.close();
    await kong?.close();
  });

  it('renders base routes plus the deployment (nested routes and plugins) and loads it with POST /config', async () => {
    const wf = await createWorkflow(t.http, a.token);
    const mark = kong.requests.length;
    const res = await applyTemplate(t.http, a.token, wf, 'webhook_handler', { second: 7 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      mode: 'dbless',
      status: 'active',
      kong: { services: [`flowgate-webhook-${res.body.id}`], plugins: ['rate-limiting', 'request-transformer'] },
    });
    // Only POST /config writes; the read-only Admin API is never written to.
    expect(
      kong.requests
        .slice(mark)
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['POST /config']);

    const cfg = last();
    expect(cfg._format_version).toBe('3.0');
    const base = cfg.services.find((s) => s.name === 'flowgate-api');
    expect(base.routes.map((r: { name: string }) => r.name)).toEqual(['flowgate-api', 'flowgate-console', 'flowgate-webhooks']);
    const mine = servicesOf(cfg, a.tenantId);
    expect(mine).toEqual([
      expect.objectContaining({
        name: `flowgate-webhook-${res.body.id}`,
        url: `http://flowgate:3000/api/webhooks/${wf}`,
        routes: [
          expect.objectContaining({
            paths: [`/workflows/${wf}/webhook`],
            plugins: [
              expect.objectContaining({ name: 'rate-limiting', config: expect.objectContaining({ second: 7, policy: 'local' }) }),
              // The webhook accepts this workflow's calls only with the deployment's gateway secret.
              expect.objectContaining({
                name: 'request-transformer',
                config: {
                  remove: { headers: ['x-flowgate-gateway-secret'] },
                  add: { headers: [expect.stringMatching(/^x-flowgate-gateway-secret:[A-Za-z0-9_-]{40,}$/)] },
                },
              }),
            ],
          }),
        ],
      }),
    ]);
    // The fake loaded it: Kong's entities now carry the deployment's tags.
    expect(kong.tagged('routes', `deployment:${res.body.id}`)).toHaveLength(1);
    expect(kong.tagged('plugins', `deployment:${res.body.id}`).map((p) => p.name)).toEqual(['rate-limiting', 'request-transformer']);
  });

  it("keeps every tenant's deployments in the one config; consumers per tenant carry keys and ACL groups", async () => {
    const wfA = await createWorkflow(t.http, a.token);
    const fa = await applyTemplate(t.http, a.token, wfA, 'federated_security');
    const wfB = await createWorkflow(t.http, b.token);
    const fb = await applyTemplate(t.http, b.token, wfB, 'federated_security', { key_names: ['x-api-key'] });
    expect([fa.status, fb.status]).toEqual([201, 201]);
    const cfg = last();
    expect(servicesOf(cfg, a.tenantId).length).toBeGreaterThanOrEqual(2);
    expect(servicesOf(cfg, b.tenantId)).toHaveLength(1);
    const consumerA = cfg.consumers!.find((c) => c.username === `flowgate-tenant-${a.tenantId}`);
    const consumerB = cfg.consumers!.find((c) => c.username === `flowgate-tenant-${b.tenantId}`);
    expect(consumerA.keyauth_credentials).toEqual([expect.objectContaining({ key: fa.body.credentials.api_key })]);
    expect(consumerA.acls).toEqual([expect.objectContaining({ group: `flowgate-deployment-${fa.body.id}` })]);
    expect(consumerB.keyauth_credentials).toEqual([expect.objectContaining({ key: fb.body.credentials.api_key })]);
    // The keys live in Kong's config (DB-less needs them); Flowgate never shows or logs them again.
    const list = await t.http.get('/api/kong/templates', { token: a.token });
    expect(list.text).not.toContain(fa.body.credentials.api_key);
    expect(t.logs.join('\n')).not.toContain(fa.body.credentials.api_key);
  });

  it('re-applying changes nothing: same deployment, same rendered entities', async () => {
    const wf = await createWorkflow(t.http, a.token);
    const first = await applyTemplate(t.http, a.token, wf, 'smart_aggregator');
    const before = servicesOf(last(), a.tenantId);
    const again = await applyTemplate(t.http, a.token, wf, 'smart_aggregator');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(servicesOf(last(), a.tenantId)).toEqual(before);
    expect(kong.tagged('services', `deployment:${first.body.id}`)).toHaveLength(1);
  });

  it('delete reloads the config without the deployment; the rest stays', async () => {
    const wf = await createWorkflow(t.http, b.token);
    const dep = await applyTemplate(t.http, b.token, wf, 'usage_tracking');
    expect(dep.status).toBe(201);
    expect(kong.tagged('plugins', `deployment:${dep.body.id}`).map((p) => p.name)).toEqual(['http-log', 'request-transformer']);
    const othersOfB = servicesOf(last(), b.tenantId).length;
    expect((await t.http.delete(`/api/kong/templates/${dep.body.id}`, { token: b.token })).status).toBe(204);
    expect(servicesOf(last(), b.tenantId)).toHaveLength(othersOfB - 1);
    for (const c of ['services', 'routes', 'plugins'] as const) expect(kong.tagged(c, `deployment:${dep.body.id}`)).toEqual([]);
    // Another tenant cannot delete (404) and nothing is reloaded.
    const loads = kong.loadedConfigs.length;
    const mineA = (await t.http.get('/api/kong/templates', { token: a.token })).body[0];
    expect((await t.http.delete(`/api/kong/templates/${mineA.id}`, { token: b.token })).status).toBe(404);
    expect(kong.loadedConfigs.length).toBe(loads);
  });

  it('maps 400 code 14 (invalid declarative config) to a 400 naming the fields; nothing is kept', async () => {
    const wf = await createWorkflow(t.http, a.token);
    const stateBefore = kong.counts();
    kong.failMatching('POST', /^\/config$/, {
      status: 400,
      body: {
        code: 14,
        name: 'invalid declarative configuration',
        message: 'declarative config is invalid: {}',
        fields: { services: [null, { routes: [{ plugins: [{ config: { second: 'expected a number' } }] }] }] },
      },
    });
    const res = await applyTemplate(t.http, a.token, wf, 'webhook_handler');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'KONG_INVALID_DECLARATIVE_CONFIG',
      details: [{ field: 'services[1].routes[0].plugins[0].config.second', message: 'expected a number' }],
    });
    expect(kong.counts()).toEqual(stateBefore);
    const list = await t.http.get('/api/kong/templates', { token: a.token });
    expect(list.body.filter((d: { workflow_id: string }) => d.workflow_id === wf)).toEqual([]);
  });

  it('refuses what DB-less Kong cannot do with a 400 before calling Kong (oauth2, cluster policy)', async () => {
    const wf = await createWorkflow(t.http, a.token);
    const mark = kong.requests.length;
    const oauth = await applyTemplate(t.http, a.token, wf, 'federated_security', { auth: 'oauth2' });
    expect(oauth.status).toBe(400);
    expect(oauth.body.details[0]).toMatchObject({ field: 'options.auth' });
    const cluster = await applyTemplate(t.http, a.token, wf, 'webhook_handler', { policy: 'cluster' });
    expect(cluster.status).toBe(400);
    expect(cluster.body.details[0]).toMatchObject({ field: 'options.policy' });
    expect(kong.requests.length).toBe(mark);
  });

  it('federated_security and usage_tracking: the loaded config carries the gateway secret; direct webhook calls are refused until undeploy', async () => {
    const proxy = kongProxy(kong, t.url);
    for (const [useCase, suffix] of [
      ['federated_security', 'secure'],
      ['usage_tracking', 'metered'],
    ] as const) {
      const wf = await createWorkflow(t.http, a.token);
      const dep = await applyTemplate(t.http, a.token, wf, useCase);
      expect(dep.status).toBe(201);
      const direct = await t.http.post(`/api/webhooks/${wf}`, { name: 'direct' });
      expect(direct.status).toBe(401);
      expect(direct.body.code).toBe('GATEWAY_SECRET_REQUIRED');
      const headers: Record<string, string> = useCase === 'federated_security' ? { apikey: dep.body.credentials.api_key } : {};
      const through = await proxy('POST', `/workflows/${wf}/${suffix}`, { headers, body: { name: 'via Kong' } });
      expect(through.status).toBe(202);
      expect((await t.http.delete(`/api/kong/templates/${dep.body.id}`, { token: a.token })).status).toBe(204);
      expect((await t.http.post(`/api/webhooks/${wf}`, { name: 'after' })).status).toBe(202);
    }
  });

  it('at start, a deployment stored without a gateway secret (older version) gets one in the loaded config, and direct calls stop', async () => {
    const wf = await createWorkflow(t.http, a.token);
    const dep = await applyTemplate(t.http, a.token, wf, 'federated_security');
    expect(dep.status).toBe(201);
    // As an older version left it: no gateway secret stored, none in Kong's config.
    const sealed = t.app.get(DeploymentSecretsService).seal(dep.body.id, { apiKey: dep.body.credentials.api_key });
    await t.app.get(DataSource).query('UPDATE kong_deployments SET secrets_ciphertext = $2 WHERE id = $1', [dep.body.id, sealed]);
    await t.app.get(KongDeploymentsRepository).withLock(DBLESS_LOCK, () => t.app.get(DblessConfigService).sync());
    expect(
      kong
        .tagged('plugins', `deployment:${dep.body.id}`)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['acl', 'key-auth']);
    t.app.get(WorkflowCache).invalidate(wf);
    expect((await t.http.post(`/api/webhooks/${wf}`, {})).status).toBe(202);

    expect(await t.app.get(KongTemplatesService).gateLegacyWebhookFronts()).toBe(1);
    expect(
      kong
        .tagged('plugins', `deployment:${dep.body.id}`)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['acl', 'key-auth', 'request-transformer']);
    expect((await t.http.post(`/api/webhooks/${wf}`, {})).status).toBe(401);
    const through = await kongProxy(kong, t.url)('POST', `/workflows/${wf}/secure`, {
      headers: { apikey: dep.body.credentials.api_key },
      body: {},
    });
    expect(through.status).toBe(202);
    expect(await t.app.get(KongTemplatesService).gateLegacyWebhookFronts()).toBe(0);
  });

  // Last in the file: passport keeps one global JWT strategy per process, so once a second app
  // has started (and closed), the first app's tokens no longer resolve. Only Kong is checked after.
  it('a restarted api reloads every deployment; a running one puts them back after Kong restarts', async () => {
    const wf = await createWorkflow(t.http, a.token);
    const dep = await applyTemplate(t.http, a.token, wf, 'webhook_handler');
    expect(dep.status).toBe(201);
    const mine = (await t.http.get('/api/kong/templates', { token: a.token })).body as { id: string }[];
    const loads = kong.loadedConfigs.length;
    const second = await startTestApp(env({ KONG_DBLESS_RECONCILE_SECONDS: '1' }));
    try {
      // At start (Kong may have restarted with kong.yml only).
      await waitFor(() => kong.loadedConfigs.length > loads, 'the restarted api to load its config');
      const names = last().services.map((s) => s.name as string);
      for (const d of mine) expect(names.some((n) => n.endsWith(d.id))).toBe(true);

      // While running: Kong restarts with an empty declarative file.
      kong.wipe();
      await waitFor(() => kong.tagged('routes', `deployment:${dep.body.id}`).length === 1, 'the reconcile to reload the config');
      expect(kong.tagged('plugins', `deployment:${dep.body.id}`).map((p) => p.name)).toEqual(['rate-limiting', 'request-transformer']);
    } finally {
      await second.close();
    }
  });
});
