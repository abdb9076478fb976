import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KongFake, startKongFake } from './fakes/kong-admin.fake';
import { kongProxy } from './fakes/kong-proxy.fake';
import { applyTemplate, createWorkflow, deploymentTags } from './kong.helpers';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitForExecution } from './support/workflow-helpers';

const SECRET = 'usage-secret-0123456789-abcdefghij';
const DAY1 = Date.parse('2026-01-10T08:00:00Z');
const DAY2 = Date.parse('2026-01-11T20:00:00Z');

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((s[lo] + (s[hi] - s[lo]) * (pos - lo)) * 100) / 100;
}

/** An http-log entry the way Kong's log serializer writes it (only some fields shown). */
function logEntry(
  tags: string[],
  o: { consumer?: string; latency: number; status?: number; reqSize?: number; resSize?: number; at: number; route?: string },
) {
  return {
    request: {
      method: 'POST',
      uri: '/workflows/x/metered?apikey=SHOULD-NOT-BE-STORED',
      url: 'http://kong:8000/workflows/x/metered',
      size: o.reqSize ?? 100,
      querystring: {},
      headers: { host: 'kong:8000', apikey: 'SHOULD-NOT-BE-STORED' },
    },
    upstream_uri: '/api/webhooks/x',
    response: { status: o.status ?? 202, size: o.resSize ?? 50, headers: {} },
    tries: [{ balancer_latency: 0, ip: '10.0.0.5', port: 3000 }],
    authenticated_entity: o.consumer ? { id: 'c1' } : undefined,
    consumer: o.consumer ? { id: 'c1', username: o.consumer, custom_id: null, created_at: 1 } : undefined,
    route: { id: 'r1', name: o.route ?? 'flowgate-metered-x', paths: ['/workflows/x/metered'], tags },
    service: { id: 's1', name: 'flowgate-metered-x', host: 'api', tags },
    latencies: { request: o.latency, kong: 1, proxy: Math.max(0, o.latency - 1), receive: 0 },
    client_ip: '203.0.113.9',
    started_at: o.at,
    workspace: '0dc6f45b-8f8d-40d2-a504-473544ee190b',
  };
}

describe('Kong usage metering (http-log → api_usage → GET /api/usage)', () => {
  let kong: KongFake;
  let t: TestApp;
  let a: Awaited<ReturnType<typeof registerTenant>>;
  let b: Awaited<ReturnType<typeof registerTenant>>;
  let tagsA: string[];
  let workflowA: string;
  let deploymentA: string;

  const post = (body: unknown, secret: string | null = SECRET) =>
    t.http.post('/api/kong/usage', body, { headers: secret === null ? {} : { 'x-kong-usage-secret': secret } });
  const report = (token: string, query: Record<string, string>) =>
    t.http.get('/api/usage', { token, query: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', ...query } });

  beforeAll(async () => {
    kong = await startKongFake();
    t = await startTestApp({ KONG_ADMIN_URL: kong.url, KONG_USAGE_SECRET: SECRET });
    a = await registerTenant(t.http, 'Usage A');
    b = await registerTenant(t.http, 'Usage B');
    workflowA = await createWorkflow(t.http, a.token);
    const dep = await applyTemplate(t.http, a.token, workflowA, 'usage_tracking');
    expect(dep.status).toBe(201);
    deploymentA = dep.body.id;
    // What Kong would send: the metered route carries the deployment's tags.
    tagsA = kong.tagged('routes', `deployment:${deploymentA}`)[0].tags!;
    expect(tagsA).toEqual(deploymentTags(a.tenantId, workflowA, deploymentA));
  });
  afterAll(async () => {
    await t?.close();
    await kong?.close();
  });

  it('refuses a missing or wrong shared secret (401) and stores nothing', async () => {
    const entry = logEntry(tagsA, { latency: 5, at: DAY1 });
    expect((await post([entry], null)).status).toBe(401);
    const wrong = await post([entry], 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('USAGE_SECRET_INVALID');
    const r = await report(a.token, { groupBy: 'day' });
    expect(r.body.totals.requests).toBe(0);
  });

  it('refuses a batch with a bad entry whole, naming each entry and field', async () => {
    const good = logEntry(tagsA, { latency: 5, at: DAY1 });
    const bad1 = { ...logEntry(tagsA, { latency: 5, at: DAY1 }), response: { status: 'ok' } };
    const bad2 = { ...logEntry(tagsA, { latency: 5, at: DAY1 }), started_at: undefined };
    const untagged = logEntry([], { latency: 5, at: DAY1 });
    const res = await post([good, bad1, bad2]);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['1.response.status', '2.started_at']);
    const res2 = await post([good, untagged]);
    expect(res2.status).toBe(400);
    expect(res2.body.details).toEqual([expect.objectContaining({ field: '1.route.tags' })]);
    const foreign = logEntry(['flowgate', 'tenant:00000000-0000-4000-8000-000000000000'], { latency: 5, at: DAY1 });
    expect((await post([foreign])).body.details[0].message).toContain('unknown tenant');
    expect((await post('"just a string"', SECRET)).status).toBe(400);
    const r = await report(a.token, { groupBy: 'day' });
    expect(r.body.totals.requests).toBe(0);
  });

  it('stores one record per entry and aggregates counts, bytes and latency percentiles', async () => {
    const day1 = [
      { consumer: 'alice', latency: 10, reqSize: 100, resSize: 1000 },
      { consumer: 'alice', latency: 20, reqSize: 200, resSize: 2000 },
      { consumer: 'bob', latency: 30, reqSize: 300, resSize: 3000, status: 500 },
      { latency: 40, reqSize: 400, resSize: 4000 },
    ];
    const day2 = [{ consumer: 'alice', latency: 100, reqSize: 500, resSize: 5000, status: 429, route: 'other-route' }];
    const batch = day1.map((o, i) => logEntry(tagsA, { ...o, at: DAY1 + i * 1000 }));
    const res = await post(batch);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 4 });
    // Kong may also send one entry as an object.
    const single = await post(logEntry(tagsA, { ...day2[0], at: DAY2 }));
    expect(single.body).toEqual({ stored: 1 });

    const all = [...day1, ...day2];
    const stats = (rows: typeof all) => ({
      requests: rows.length,
      errors: rows.filter((r) => (r.status ?? 202) >= 400).length,
      requestBytes: rows.reduce((s, r) => s + r.reqSize, 0),
      responseBytes: rows.reduce((s, r) => s + r.resSize, 0),
      latencyMs: {
        p50: percentile(
          rows.map((r) => r.latency),
          0.5,
        ),
        p95: percentile(
          rows.map((r) => r.latency),
          0.95,
        ),
        p99: percentile(
          rows.map((r) => r.latency),
          0.99,
        ),
      },
    });

    const byDay = await report(a.token, { groupBy: 'day' });
    expect(byDay.status).toBe(200);
    expect(byDay.body.totals).toEqual(stats(all));
    expect(byDay.body.totals.latencyMs).toEqual({ p50: 30, p95: 88, p99: 97.6 });
    expect(byDay.body.groups).toEqual([
      { key: '2026-01-10', ...stats(day1) },
      { key: '2026-01-11', ...stats(day2) },
    ]);

    const byConsumer = await report(a.token, { groupBy: 'consumer' });
    const alice = all.filter((r) => r.consumer === 'alice');
    expect(byConsumer.body.groups).toEqual([
      { key: 'alice', ...stats(alice) },
      { key: '(anonymous)', ...stats(all.filter((r) => !r.consumer)) },
      { key: 'bob', ...stats(all.filter((r) => r.consumer === 'bob')) },
    ]);

    const byRoute = await report(a.token, { groupBy: 'route' });
    expect(byRoute.body.groups.map((g: { key: string; requests: number }) => [g.key, g.requests])).toEqual([
      ['flowgate-metered-x', 4],
      ['other-route', 1],
    ]);

    // The time range bounds what is counted; the workflow filter too.
    const onlyDay2 = await report(a.token, { groupBy: 'day', from: '2026-01-11T00:00:00Z', to: '2026-01-12T00:00:00Z' });
    expect(onlyDay2.body.totals.requests).toBe(1);
    const byWorkflow = await report(a.token, { groupBy: 'day', workflowId: workflowA });
    expect(byWorkflow.body.totals.requests).toBe(5);

    // API keys in the query string or headers are never kept, nor the shared secret logged.
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(SECRET);
    expect(JSON.stringify([byDay.body, byConsumer.body, byRoute.body])).not.toContain('SHOULD-NOT-BE-STORED');
  });

  it('the metered workflow cannot be called around the meter: direct webhook calls are refused (nothing run), calls through Kong run', async () => {
    const proxy = kongProxy(kong, t.url);
    const direct = await t.http.post(`/api/webhooks/${workflowA}`, { name: 'unmetered' });
    expect(direct.status).toBe(401);
    expect(direct.body.code).toBe('GATEWAY_SECRET_REQUIRED');
    const through = await proxy('POST', `/workflows/${workflowA}/metered`, { body: { name: 'metered' } });
    expect(through.status).toBe(202);
    await waitForExecution(t.http, a.token, through.body.executionId);
    const runs = await t.http.get('/api/logs', { token: a.token, query: { workflowId: workflowA } });
    expect(runs.body.items.map((e: { id: string }) => e.id)).toEqual([through.body.executionId]);
  });

  it('another tenant sees none of it', async () => {
    const r = await report(b.token, { groupBy: 'consumer' });
    expect(r.status).toBe(200);
    expect(r.body.totals.requests).toBe(0);
    expect(r.body.groups).toEqual([]);
    const filtered = await report(b.token, { groupBy: 'day', workflowId: workflowA });
    expect(filtered.body.totals.requests).toBe(0);
  });

  it('validates the query (400 naming the field) and needs a token', async () => {
    expect((await report(a.token, { groupBy: 'week' })).body.details[0].field).toBe('groupBy');
    expect((await report(a.token, { from: 'yesterday' })).body.details[0].field).toBe('from');
    expect((await report(a.token, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).body.details[0].field).toBe('from');
    expect((await report(a.token, { workflowId: 'x' })).body.details[0].field).toBe('workflowId');
    expect((await report(a.token, { week: '1' })).body.details[0].field).toBe('week');
    expect((await t.http.get('/api/usage')).status).toBe(401);
  });

  it("the documented entry is what the endpoint reads: the document's example, tagged with a real deployment, is stored; byte counts must be whole", async () => {
    const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
    const body = doc.paths['/api/kong/usage'].post.requestBody.content['application/json'].schema;
    const example = structuredClone(body.oneOf[1].example);
    example.route.tags = tagsA;
    // Outside the range the other tests count.
    example.started_at = Date.parse('2026-06-01T00:00:00Z');
    expect(await post([example])).toMatchObject({ status: 200, body: { stored: 1 } });

    const fractional = structuredClone(example);
    fractional.request.size = 1.5;
    const res = await post([example, fractional]);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['1.request.size']);
  });
});
