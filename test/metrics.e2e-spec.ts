import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { NangoFake, startNangoFake } from './fakes/nango';
import { connectCompany } from './marketplace/marketplace-env';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { trickle } from './support/slow-client';
import { FlowgateProcess, spawnFlowgate } from './support/spawn-flowgate';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

const ADMIN = { 'x-admin-token': 'test-admin-token-0123456789' };

/** The value of one series in Prometheus text (`name{a="x",b="y"} 12`), labels in any order; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/**
 * The product's metrics, read from /metrics of an api process and of a separate worker
 * process (ROLE=worker, its probe port), after exercising what feeds them: a workflow with a
 * connector step against a fake (worker: connector latency, workflow cache), a token refresh
 * through the Nango fake (worker: refresh outcomes), the companies list read twice (api: cache
 * hit and miss), webhooks (api: workflow cache), and the PostgreSQL pools of both.
 *
 * refresh-all is system-wide, so this file has a database of its own.
 */
describe('Prometheus metrics: database pool, caches, token refresh, connector latency', () => {
  let db: PrivateDatabase;
  let nango: NangoFake;
  let sink: FakeServer;
  let t: TestApp;
  let worker: FlowgateProcess;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  const apiMetrics = async () => (await t.http.get('/metrics', { headers: ADMIN })).text;
  const workerMetrics = async () => (await fetch(`${worker.url}/metrics`, { headers: ADMIN })).text();

  beforeAll(async () => {
    db = await createPrivateDatabase('metrics');
    [nango, sink] = await Promise.all([startNangoFake(), startEchoFake()]);
    nango.addIntegration('hubspot', 'hubspot');
    const shared = {
      DATABASE_URL: db.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      NANGO_HOST: nango.url,
      NANGO_SECRET_KEY: nango.secretKey,
      NANGO_WEBHOOK_SECRET: nango.webhookSecret,
      RATE_LIMIT_REQUESTS: '100000',
      // Long enough that a second lookup is a hit whatever the machine's speed (edits still invalidate).
      WORKFLOW_CACHE_TTL_MS: '600000',
      DATABASE_POOL_SIZE: '7',
    };
    t = await startTestApp({ ...shared, ROLE: 'api' });
    worker = await spawnFlowgate({
      ...shared,
      ROLE: 'worker',
      REDIS_URL: t.config.redis.url,
      QUEUE_PREFIX: t.config.queue.prefix,
      JWT_SECRET: t.config.auth.jwtSecret,
      ENCRYPTION_KEY: t.config.crypto.current.toString('hex'),
      ADMIN_TOKEN: ADMIN['x-admin-token'],
      // Small, so that a slow client is cut off quickly (test below); fetch sends its headers at once.
      HTTP_HEADERS_TIMEOUT_MS: '300',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
    });
    owner = await registerTenant(t.http, 'Metrics');
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await Promise.all([nango?.close(), sink?.close()]);
    await db?.drop();
  });

  it('/metrics needs the admin token, on the api and on the worker’s probe port; the probes stay public', async () => {
    for (const base of [t.url, worker.url]) {
      const anonymous = await fetch(`${base}/metrics`);
      expect([base, anonymous.status]).toEqual([base, 401]);
      expect(await anonymous.json()).toMatchObject({ statusCode: 401, code: 'ADMIN_TOKEN_REQUIRED' });
      const wrong = await fetch(`${base}/metrics`, { headers: { 'x-admin-token': 'wrong' } });
      expect([base, wrong.status]).toEqual([base, 401]);
      const admin = await fetch(`${base}/metrics`, { headers: ADMIN });
      expect([base, admin.status]).toEqual([base, 200]);
      expect(await admin.text()).toContain('process_cpu_seconds_total');
      expect([base, (await fetch(`${base}/health/live`)).status]).toEqual([base, 200]);
      const ready = await fetch(`${base}/health/ready`);
      expect(await ready.json()).toEqual({ status: 'ok', dependencies: { database: { status: 'up' }, redis: { status: 'up' } } });
    }
  });

  it('the worker’s probe server cuts off a client that sends its headers one byte at a time', async () => {
    // 80 bytes, one per 100 ms: about 8 s, far beyond the 300 ms headers timeout (Node's default is 60 s).
    const r = await trickle(worker.url, `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(40)}\r\n\r\n`, 100);
    expect(r.cutOff).toBe(true);
    expect(r.answer === '' || r.answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('database pool: open, idle and waiting connections and the pool size, in the api and the worker', async () => {
    for (const text of [await apiMetrics(), await workerMetrics()]) {
      const open = sample(text, 'flowgate_db_pool_connections')!;
      const idle = sample(text, 'flowgate_db_pool_idle_connections')!;
      const waiting = sample(text, 'flowgate_db_pool_waiting_clients')!;
      expect(sample(text, 'flowgate_db_pool_max_connections')).toBe(7);
      expect(open).toBeGreaterThanOrEqual(1);
      expect(open).toBeLessThanOrEqual(7);
      expect(idle).toBeGreaterThanOrEqual(0);
      expect(idle).toBeLessThanOrEqual(open);
      expect(waiting).toBeGreaterThanOrEqual(0);
      expect(text).toContain('# TYPE flowgate_db_pool_connections gauge');
    }
  });

  it('connector calls: latency by connector and outcome (worker); workflow cache hits and misses (api and worker)', async () => {
    const wf = await createWorkflow(t.http, owner.token, {
      name: 'metrics flow',
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'call',
          connector: 'http',
          action: 'request',
          params: { method: 'POST', url: `${sink.url}/hook`, body: { n: '{{trigger.n}}' } },
        },
      ],
      settings: { retries: 0 },
    });
    const before = await workerMetrics();
    const okBefore = sample(before, 'flowgate_connector_call_duration_seconds_count', { connector: 'http', outcome: 'ok' }) ?? 0;
    const apiBefore = await apiMetrics();
    const apiWfHits = sample(apiBefore, 'flowgate_cache_hits_total', { cache: 'workflow' }) ?? 0;
    const apiWfMisses = sample(apiBefore, 'flowgate_cache_misses_total', { cache: 'workflow' }) ?? 0;

    const ids: string[] = [];
    for (const n of [1, 2]) {
      const res = await t.http.post(`/api/webhooks/${wf.id}`, { n });
      expect(res.status).toBe(202);
      ids.push(res.body.executionId);
    }
    // Read before polling: a poll that finds a run still queued names its workflow from the same cache.
    const a = await apiMetrics();
    for (const id of ids) expect((await waitForExecution(t.http, owner.token, id)).status).toBe('succeeded');
    expect(sink.requests.filter((r) => r.path === '/hook')).toHaveLength(2);

    const w = await workerMetrics();
    expect(sample(w, 'flowgate_connector_call_duration_seconds_count', { connector: 'http', outcome: 'ok' })).toBe(okBefore + 2);
    expect(sample(w, 'flowgate_connector_call_duration_seconds_sum', { connector: 'http', outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(w, 'flowgate_connector_call_duration_seconds_bucket', { connector: 'http', outcome: 'ok', le: '+Inf' })).toBe(
      okBefore + 2,
    );
    // The worker looked the workflow up for each run: loaded once, then from its cache.
    expect(sample(w, 'flowgate_cache_misses_total', { cache: 'workflow' })).toBeGreaterThanOrEqual(1);
    expect(sample(w, 'flowgate_cache_hits_total', { cache: 'workflow' })).toBeGreaterThanOrEqual(1);
    // The webhook path in the api: the first delivery loads the workflow, the second finds it cached.
    expect(sample(a, 'flowgate_cache_misses_total', { cache: 'workflow' })).toBe(apiWfMisses + 1);
    expect(sample(a, 'flowgate_cache_hits_total', { cache: 'workflow' })).toBe(apiWfHits + 1);
    // Labels stay bounded: connector keys, never URLs or tenant ids.
    expect(w).not.toContain(sink.url);
    expect(w).not.toContain(owner.tenantId);
  });

  it('token refresh outcomes through the Nango fake (worker), and the companies cache (api)', async () => {
    const { company, connection } = await connectCompany({ t, nango, close: async () => undefined }, owner, 'hubspot');
    connection.refresh = 'ok';
    const all = await t.http.post('/api/admin/tokens/refresh-all', undefined, { headers: ADMIN });
    expect(all.status).toBe(202);
    await waitFor(
      async () => sample(await workerMetrics(), 'flowgate_token_refreshes_total', { outcome: 'refreshed' }),
      'the refresh outcome in the worker metrics',
    );
    expect(connection.forcedRefreshes).toBe(1);
    const w = await workerMetrics();
    expect(sample(w, 'flowgate_token_refreshes_total', { outcome: 'refreshed' })).toBe(1);
    expect(w).toContain('# TYPE flowgate_token_refreshes_total counter');

    // The worker's refresh dropped the tenant's cached companies; the same read twice is then one miss, one hit.
    const before = await apiMetrics();
    const hits = sample(before, 'flowgate_cache_hits_total', { cache: 'companies' }) ?? 0;
    const misses = sample(before, 'flowgate_cache_misses_total', { cache: 'companies' }) ?? 0;
    const first = await t.http.get(`/api/companies/${company.id}`, { token: owner.token });
    const second = await t.http.get(`/api/companies/${company.id}`, { token: owner.token });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toEqual(first.body);
    expect(first.body.lastRefreshStatus).toBe('succeeded');
    const after = await apiMetrics();
    expect(sample(after, 'flowgate_cache_misses_total', { cache: 'companies' })).toBe(misses + 1);
    expect(sample(after, 'flowgate_cache_hits_total', { cache: 'companies' })).toBe(hits + 1);
    expect(after).not.toContain(owner.tenantId);
  });
});
