import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTenantResources, FullEnv, startFullEnv, TenantResources } from './support/full-env';

/**
 * For every tenant-owned resource and every verb the API documents, a second tenant using
 * the first tenant's id gets 404 and changes nothing. Driven by openapi/openapi.json, so a
 * new endpoint on a tenant-owned path is covered (or fails this test) without editing it.
 */
const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));

type ResourceKey = keyof Pick<
  TenantResources,
  'credentialId' | 'workflowId' | 'executionId' | 'companyId' | 'deploymentId' | 'memberId' | 'invitationId'
>;

const OWNED: Array<[RegExp, ResourceKey]> = [
  [/^\/api\/credentials\/\{[^}]+\}/, 'credentialId'],
  [/^\/api\/workflows\/\{[^}]+\}/, 'workflowId'],
  [/^\/api\/executions\/\{[^}]+\}/, 'executionId'],
  [/^\/api\/companies\/\{[^}]+\}/, 'companyId'],
  [/^\/api\/kong\/templates\/\{[^}]+\}/, 'deploymentId'],
  [/^\/api\/tenants\/current\/members\/\{[^}]+\}/, 'memberId'],
  [/^\/api\/tenants\/current\/invitations\/\{[^}]+\}/, 'invitationId'],
];

// Public by design, authenticated by something other than the tenant's JWT (a webhook URL
// is a capability; gateway endpoints need the deployment's secret): checked separately below.
const PUBLIC_CAPABILITIES = [/^\/api\/webhooks\//, /^\/api\/kong\/(bridge|aggregate)\//];

/** A body that is valid for the operation, so a 404 cannot hide behind a 400. */
const BODIES: Record<string, unknown> = {
  'PUT /api/credentials/{id}': { name: 'hijacked' },
  'PUT /api/workflows/{id}': { name: 'hijacked' },
  'PUT /api/workflows/{id}/toggle': { active: false },
  'POST /api/workflows/{id}/run': { payload: { x: 1 } },
  'POST /api/workflows/{id}/dry-run': { payload: { x: 1 } },
  'PUT /api/tenants/current/members/{userId}/role': { role: 'admin' },
  'POST /api/workflows/{id}/rollback': { version: 1 },
};

const operations = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) =>
  Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
);
const owned = operations
  .map((op) => ({ ...op, resource: OWNED.find(([re]) => re.test(op.path))?.[1] }))
  .filter((op): op is { method: string; path: string; resource: ResourceKey } => Boolean(op.resource));

describe('tenant isolation across the whole API', () => {
  let e: FullEnv;
  let a: TenantResources;
  let b: TenantResources;
  const snapshot = async (r: TenantResources) => {
    const token = r.tenant.token;
    const get = async (p: string) => (await e.t.http.get(p, { token })).body;
    return {
      credential: await get(`/api/credentials/${r.credentialId}`),
      workflow: await get(`/api/workflows/${r.workflowId}`),
      execution: await get(`/api/executions/${r.executionId}`),
      company: await get(`/api/companies/${r.companyId}`),
      deployment: await get(`/api/kong/templates/${r.deploymentId}`),
      members: await get('/api/tenants/current/members'),
      invitations: await get('/api/tenants/current/invitations'),
      executions: (await get(`/api/logs?workflowId=${r.workflowId}`)).items?.length,
    };
  };

  beforeAll(async () => {
    e = await startFullEnv();
    a = await createTenantResources(e, 'Tenant A');
    b = await createTenantResources(e, 'Tenant B');
  });
  afterAll(() => e?.close());

  it('knows every tenant-owned operation in the document', () => {
    // Each resource has at least its read and delete (members: role change and removal).
    const byResource = new Map<string, number>();
    for (const op of owned) byResource.set(op.resource, (byResource.get(op.resource) ?? 0) + 1);
    expect([...byResource.keys()].sort()).toEqual(OWNED.map(([, k]) => k).sort());
    expect(owned.length).toBeGreaterThanOrEqual(25);
  });

  it("answers 404 to every verb on another tenant's resources and changes nothing", async () => {
    const before = await snapshot(a);
    const results: string[] = [];
    // destructive verbs last, so every read and write runs against a resource that exists
    const ordered = [...owned].sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'));
    for (const op of ordered) {
      const url = op.path.replace(/\{[^}]+\}/, a[op.resource]);
      const body = BODIES[`${op.method} ${op.path}`];
      const res = await e.t.http.request(op.method, url, ['POST', 'PUT', 'PATCH'].includes(op.method) ? (body ?? {}) : undefined, {
        token: b.tenant.token,
      });
      results.push(`${op.method} ${op.path} → ${res.status}${res.status === 404 ? '' : ` ${res.text.slice(0, 160)}`}`);
    }
    expect(results.filter((r) => !/→ 404$/.test(r))).toEqual([]);
    expect(await snapshot(a)).toEqual(before);
  });

  it("never lists another tenant's resources", async () => {
    const lists: Array<[string, (body: any) => string[]]> = [
      ['/api/credentials', (x) => x.map((c: { id: string }) => c.id)],
      ['/api/workflows', (x) => (x.items ?? x).map((w: { id: string }) => w.id)],
      ['/api/logs', (x) => x.items.map((l: { id: string }) => l.id)],
      ['/api/companies', (x) => (x.items ?? x.data ?? x).map((c: { id: string }) => c.id)],
      ['/api/kong/templates', (x) => (x.items ?? x).map((d: { id: string }) => d.id)],
      ['/api/tenants/current/members', (x) => x.map((m: { id: string }) => m.id)],
      ['/api/tenants/current/invitations', (x) => x.map((i: { id: string }) => i.id)],
    ];
    const aIds = new Set([a.credentialId, a.workflowId, a.executionId, a.companyId, a.deploymentId, a.memberId, a.tenant.userId]);
    aIds.add(a.invitationId);
    for (const [path, ids] of lists) {
      const res = await e.t.http.get(path, { token: b.tenant.token });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const seen = ids(res.body);
      expect({ path, leaked: seen.filter((id) => aIds.has(id)) }).toEqual({ path, leaked: [] });
      expect({ path, empty: seen.length === 0 }).toEqual({ path, empty: false }); // B sees its own
    }
  });

  it("cannot use another tenant's credential in its own workflow", async () => {
    const res = await e.t.http.post(
      '/api/workflows',
      {
        name: 'borrow',
        trigger: { type: 'webhook' },
        steps: [
          {
            name: 'call',
            connector: 'http',
            action: 'request',
            credentialId: a.credentialId,
            params: { method: 'GET', url: `${e.sink.url}/x` },
          },
        ],
      },
      { token: b.tenant.token },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.details)).toContain('credentialId');
  });

  it('keeps public capability endpoints closed without their secret', async () => {
    const caps = operations.filter((op) => PUBLIC_CAPABILITIES.some((re) => re.test(op.path)) && !op.path.startsWith('/api/webhooks/'));
    for (const op of caps) {
      const url = op.path.replace(/\{[^}]+\}/, a.deploymentId);
      const res = await e.t.http.request(op.method, url, op.method === 'POST' ? {} : undefined, { token: b.tenant.token });
      expect({ op: `${op.method} ${op.path}`, status: res.status }).toEqual({ op: `${op.method} ${op.path}`, status: expect.any(Number) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it("never shows another tenant's audit rows, whatever the filter", async () => {
    const aIds = [a.credentialId, a.workflowId, a.executionId, a.companyId, a.deploymentId, a.memberId, a.tenant.userId, a.tenant.tenantId];
    const own = await e.t.http.get('/api/audit', { token: a.tenant.token, query: { limit: 200 } });
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0); // A's changes are recorded
    const all = await e.t.http.get('/api/audit', { token: b.tenant.token, query: { limit: 200 } });
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThan(0); // B sees its own
    expect(all.body.items.filter((i: { tenantId: string }) => i.tenantId !== b.tenant.tenantId)).toEqual([]);
    expect(leakedIds(all.body.items, aIds)).toEqual([]);
    const filters: Array<Record<string, string>> = [
      { actorId: a.tenant.userId },
      ...aIds.map((targetId) => ({ targetId })),
      { targetType: 'credential', targetId: a.credentialId },
      { targetType: 'tenant', targetId: a.tenant.tenantId },
    ];
    for (const query of filters) {
      const res = await e.t.http.get('/api/audit', { token: b.tenant.token, query });
      expect({ query, status: res.status, items: res.body.items }).toEqual({ query, status: 200, items: [] });
    }
  });
});

/** Which of `ids` appear anywhere in `items`. */
function leakedIds(items: unknown, ids: string[]): string[] {
  const text = JSON.stringify(items);
  return ids.filter((id) => text.includes(id));
}
