import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../src/core/config/load-config';
import { renderKongYml } from '../src/modules/kong/declarative/kong-yml';
import { KongFake, startKongFake } from './fakes/kong-admin.fake';
import { kongProxy } from './fakes/kong-proxy.fake';
import { applyTemplate, createWorkflow } from './kong.helpers';
import { publishingProblems } from '../src/modules/kong/__tests__/kong-published';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * DB-less `POST /config` replaces all of Kong's state. What an operator added by hand to the
 * declarative file Kong starts with (KONG_DBLESS_BASE_CONFIG) must survive every Flowgate
 * deploy and undeploy; a name both use, or a file Flowgate cannot read, loads nothing.
 */
describe("Kong DB-less: the operator's base configuration is kept", () => {
  let kong: KongFake;
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  const dir = mkdtempSync(join(tmpdir(), 'kong-base-e2e-'));
  const baseFile = join(dir, 'kong.yml');

  /** The operator's own entities, none tagged flowgate. */
  const OPERATOR = {
    services: [
      {
        name: 'billing',
        url: 'http://billing.internal:8080',
        tags: ['ops'],
        routes: [
          {
            name: 'billing',
            paths: ['/billing'],
            tags: ['ops'],
            plugins: [{ name: 'key-auth', config: { key_names: ['x-partner-key'] } }],
          },
        ],
      },
    ],
    routes: [{ name: 'billing-admin', service: 'billing', paths: ['/billing-admin'], methods: ['GET'] }],
    consumers: [{ username: 'partner', custom_id: 'partner-1', keyauth_credentials: [{ key: 'partner-key-0123456789' }] }],
    plugins: [{ name: 'response-transformer', config: { add: { headers: ['x-served-by:kong'] } } }],
  };
  /** kong/kong.yml as an operator edits it: Flowgate's base routes plus their own entities. */
  const writeBase = (operator: Record<string, unknown[]> = OPERATOR) =>
    writeFileSync(
      baseFile,
      renderKongYml(loadConfig({ NODE_ENV: 'test', FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://flowgate:3000' }), operator as never),
    );

  const operatorIntact = () => {
    expect(kong.state.services.map((s) => s.name)).toContain('billing');
    expect(kong.state.routes.map((r) => r.name)).toEqual(expect.arrayContaining(['billing', 'billing-admin']));
    expect(kong.state.consumers.find((c) => c.username === 'partner')).toBeDefined();
    expect(kong.state.keyauth_credentials.map((k) => k.key)).toContain('partner-key-0123456789');
    expect(kong.state.plugins.filter((p) => !p.route && !p.service && !p.consumer).map((p) => p.name)).toEqual(['response-transformer']);
  };

  beforeAll(async () => {
    writeBase();
    kong = await startKongFake({ mode: 'dbless' });
    // Kong starts with the operator's file (KONG_DECLARATIVE_CONFIG), before Flowgate says anything.
    const boot = await fetch(`${kong.url}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(load(readFileSync(baseFile, 'utf8'))),
    });
    expect(boot.status).toBe(201);
    t = await startTestApp({
      KONG_ADMIN_URL: kong.url,
      KONG_MODE: 'dbless',
      KONG_DBLESS_BASE_CONFIG: baseFile,
      KONG_DBLESS_RECONCILE_SECONDS: '1',
      JWT_SECRET: 'kong-base-config-spec-jwt-secret-0123456789',
      ENCRYPTION_KEY: 'b'.repeat(64),
    });
    owner = await registerTenant(t.http, 'Base config');
  });
  afterAll(async () => {
    await t?.close();
    await kong?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let deploymentId: string;

  it("a deploy loads Flowgate's entities together with the operator's, which stay in Kong", async () => {
    operatorIntact();
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
    expect(res.status).toBe(201);
    deploymentId = res.body.id;
    expect(kong.tagged('routes', `deployment:${deploymentId}`)).toHaveLength(1);
    operatorIntact();
    // Flowgate's base routes come from Flowgate, once (the file's flowgate-tagged copies are replaced).
    const loaded = kong.loadedConfigs.at(-1)!;
    expect(loaded.services.filter((s: { name: string }) => s.name === 'flowgate-api')).toHaveLength(1);
    expect(loaded.services.find((s: { name: string }) => s.name === 'billing')).toMatchObject({
      url: 'http://billing.internal:8080',
      tags: ['ops'],
    });
  });

  it('what Flowgate loads publishes only what end users call: no /health*, /metrics, /docs or /api/admin* through Kong', async () => {
    const loaded = kong.loadedConfigs.at(-1)!;
    expect(publishingProblems(loaded)).toEqual([]);
    const proxy = kongProxy(kong, t.url);
    const noRoute = { message: 'no Route matched with those values' };
    for (const path of ['/health', '/health/detailed', '/metrics', '/docs', '/docs/json', '/api/admin/system/health', '/api/kong/usage']) {
      const res = await proxy(path === '/api/kong/usage' ? 'POST' : 'GET', path);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 404, body: noRoute });
    }
    // The REST API and the webhooks reach Flowgate (its own answers, not Kong's).
    const me = await proxy('GET', '/api/auth/me', { headers: { authorization: `Bearer ${owner.token}` } });
    expect(me.status).toBe(200);
    const hook = await proxy('POST', '/api/webhooks/00000000-0000-4000-8000-000000000000', { body: {} });
    expect(hook.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('the operator can edit the file while Flowgate runs: the next load takes the edit', async () => {
    writeBase({
      ...OPERATOR,
      services: [
        ...OPERATOR.services,
        { name: 'reports', url: 'http://reports.internal:9000', routes: [{ name: 'reports', paths: ['/reports'] }] },
      ],
    });
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'smart_aggregator');
    expect(res.status).toBe(201);
    expect(kong.state.services.map((s) => s.name)).toEqual(
      expect.arrayContaining(['billing', 'reports', `flowgate-aggregate-${res.body.id}`]),
    );
    operatorIntact();
    writeBase();
  });

  it("an undeploy removes only the deployment's entities; the operator's stay", async () => {
    expect((await t.http.delete(`/api/kong/templates/${deploymentId}`, { token: owner.token })).status).toBe(204);
    for (const c of ['services', 'routes', 'plugins'] as const) expect(kong.tagged(c, `deployment:${deploymentId}`)).toEqual([]);
    operatorIntact();
  });

  it('a name the operator uses that Flowgate renders is refused (409 naming it); Kong keeps what it has', async () => {
    writeBase({
      ...OPERATOR,
      services: [...OPERATOR.services, { name: 'flowgate-api', url: 'http://mine:1', routes: [{ name: 'mine', paths: ['/mine'] }] }],
    });
    const loads = kong.loadedConfigs.length;
    const before = kong.counts();
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'KONG_BASE_CONFIG_CONFLICT', details: [{ field: 'services[1].name' }] });
    expect(res.body.message).toContain('KONG_DBLESS_BASE_CONFIG');
    expect(kong.loadedConfigs.length).toBe(loads);
    expect(kong.counts()).toEqual(before);
    // Nothing half-made stays behind in Flowgate either.
    const mine = (await t.http.get('/api/kong/templates', { token: owner.token })).body as { workflow_id: string }[];
    expect(mine.filter((d) => d.workflow_id === wf)).toEqual([]);
  });

  it('an unreadable file loads nothing (503 naming the setting, not the path)', async () => {
    writeFileSync(baseFile, 'services: [unclosed');
    const loads = kong.loadedConfigs.length;
    const wf = await createWorkflow(t.http, owner.token);
    const res = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('KONG_BASE_CONFIG_INVALID');
    expect(res.body.message).toContain('KONG_DBLESS_BASE_CONFIG');
    expect(res.body.message).not.toContain(dir);
    expect(kong.loadedConfigs.length).toBe(loads);
    operatorIntact();
    writeBase();
  });

  it("after Kong restarts empty, the reconcile puts back Flowgate's and the operator's entities, then leaves Kong alone", async () => {
    const wf = await createWorkflow(t.http, owner.token);
    const dep = await applyTemplate(t.http, owner.token, wf, 'webhook_handler');
    expect(dep.status).toBe(201);
    kong.wipe();
    await waitFor(() => kong.tagged('routes', `deployment:${dep.body.id}`).length === 1, 'the reconcile to reload the config');
    operatorIntact();
    // The operator's services are not Flowgate's (no flowgate tag): the reconcile must not
    // count them as missing and reload on every tick.
    const loads = kong.loadedConfigs.length;
    const checks = () => kong.requests.filter((r) => r.method === 'GET' && r.path === '/services' && r.query.tags === 'flowgate').length;
    const seen = checks();
    await waitFor(() => checks() >= seen + 2, 'two more reconcile checks', 20_000, 100);
    expect(kong.loadedConfigs.length).toBe(loads);
  });
});
