import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { Client } from 'pg';
import { RedisProcess, spawnRedisProcess } from './support/redis-server';
import { HttpClient } from './support/http-client';
import { FlowgateProcess, spawnFlowgate } from './support/spawn-flowgate';
import { registerTenant } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow } from './support/workflow-helpers';

const run = promisify(execFile);

/** Three masters on loopback (no replicas), created with `redis-cli --cluster create`. */
async function startRedisCluster(dir: string): Promise<RedisProcess[]> {
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < 3; i++) {
    nodes.push(
      await spawnRedisProcess((port) => [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ]),
    );
  }
  await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
  for (const n of nodes) {
    await waitFor(
      async () => (await run('redis-cli', ['-p', String(n.port), 'cluster', 'info'])).stdout.includes('cluster_state:ok'),
      `cluster_state:ok on ${n.port}`,
      30_000,
      100,
    );
  }
  return nodes;
}

/** The hash slot Redis computes for a key (CLUSTER KEYSLOT). */
async function slotOf(cluster: Cluster, key: string): Promise<number> {
  return (await cluster.call('CLUSTER', 'KEYSLOT', key)) as number;
}

/** Every key of every master, with the port of the master holding it. */
async function keysByNode(cluster: Cluster): Promise<Array<{ key: string; port: number }>> {
  const out: Array<{ key: string; port: number }> = [];
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) out.push({ key, port: node.options.port! });
    } while (cursor !== '0');
  }
  return out;
}

/**
 * Past one Redis: Flowgate's API and worker processes on a three-master Redis Cluster
 * (REDIS_CLUSTER_NODES). Every webhook accepted with a 202 runs exactly once; each queue's keys
 * sit in one slot (the hash-tagged prefix `{QUEUE_PREFIX}`); the log's pending-runs script runs
 * in the cluster.
 */
describe('Redis Cluster: API and worker processes (compiled service, three masters)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-cluster-'));
  const prefix = `${process.env.QUEUE_PREFIX ?? 'fgt-local'}-cl-${randomBytes(3).toString('hex')}`;
  const procs: FlowgateProcess[] = [];
  let nodes: RedisProcess[] = [];
  let env: Record<string, string>;
  let cluster: Cluster;
  let db: Client;

  beforeAll(async () => {
    nodes = await startRedisCluster(dir);
    cluster = new Cluster(nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    env = {
      DATABASE_URL: process.env.DATABASE_URL!,
      // Credentials/TLS would come from here; the host is one of the nodes (not used for routing).
      REDIS_URL: `redis://127.0.0.1:${nodes[0].port}`,
      REDIS_CLUSTER_NODES: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
      QUEUE_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      RATE_LIMIT_LIMIT: '100000',
      AUTH_RATE_LIMIT_IP_LIMIT: '100000',
      WEBHOOK_RATE_LIMIT: '100000',
    };
  }, 90_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop().catch(() => undefined)));
    cluster?.disconnect();
    await db?.end().catch(() => undefined);
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('every accepted webhook runs exactly once; each queue lives in one slot; the log reads the queue', async () => {
    const api = await spawnFlowgate({ ...env, ROLE: 'api' });
    procs.push(api);
    const http = new HttpClient(api.url);
    const owner = await registerTenant(http, 'Cluster');
    const workflow = await createWorkflow(http, owner.token, coreWorkflow());

    const accepted: string[] = [];
    const post = async (i: number) => {
      const res = await http.post(`/api/webhooks/${workflow.id}`, { user: { name: `n${i}` }, order: { id: i } });
      expect(res.status).toBe(202);
      accepted.push(res.body.executionId as string);
    };

    // No worker yet: the first runs wait in the queue, and the log finds them there (the
    // pending-runs script, all of its keys in the queue's slot).
    for (let i = 0; i < 20; i++) await post(i);
    const logged = await http.get('/api/logs', { token: owner.token, query: { status: 'queued', limit: 100 } });
    expect(logged.status).toBe(200);
    expect(logged.body.queueScan).toMatchObject({ complete: true });
    expect(new Set(logged.body.items.map((e: { id: string }) => e.id))).toEqual(new Set(accepted));

    // A worker process joins; the rest arrive while it runs them, 25 at a time.
    procs.push(await spawnFlowgate({ ...env, ROLE: 'worker' }));
    const total = 500;
    let next = 20;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < total) await post(next++);
      }),
    );
    expect(accepted).toHaveLength(total);
    expect(new Set(accepted).size).toBe(total);

    const rows = await waitFor(
      async () => {
        const r = await db.query<{ id: string; status: string; attempts: number }>(
          'SELECT id, status, attempts FROM executions WHERE tenant_id = $1',
          [owner.tenantId],
        );
        return r.rows.length >= total && r.rows.every((x) => x.status === 'succeeded' || x.status === 'failed') && r.rows;
      },
      `${total} runs to finish`,
      180_000,
      250,
    );
    // Exactly the accepted runs, each once, each on its first attempt, all succeeded.
    expect(rows.map((r) => r.id).sort()).toEqual([...accepted].sort());
    expect(rows.filter((r) => r.status !== 'succeeded')).toEqual([]);
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);

    // Where the keys live: every key Flowgate wrote is under one of two hash tags.
    const keys = (await keysByNode(cluster)).filter((k) => k.key.startsWith(`{${prefix}`));
    const queueKeys = keys.filter((k) => k.key.startsWith(`{${prefix}}:`));
    const kvKeys = keys.filter((k) => k.key.startsWith(`{${prefix}:kv}:`));
    expect(keys.length).toBe(queueKeys.length + kvKeys.length);
    for (const q of ['executions', 'maintenance', 'company-sync', 'token-refresh']) {
      expect(queueKeys.some((k) => k.key.startsWith(`{${prefix}}:${q}:`))).toBe(true);
    }
    const slots = async (ks: Array<{ key: string }>) => new Set(await Promise.all(ks.map((k) => slotOf(cluster, k.key))));
    const queueSlot = await slotOf(cluster, prefix);
    const kvSlot = await slotOf(cluster, `${prefix}:kv`);
    expect(await slots(queueKeys)).toEqual(new Set([queueSlot]));
    expect(new Set(queueKeys.map((k) => k.port)).size).toBe(1);
    expect(kvKeys.length).toBeGreaterThan(0);
    expect(await slots(kvKeys)).toEqual(new Set([kvSlot]));
    // What the test saw, for the scaling notes (docs/scaling-out.md).
    // eslint-disable-next-line no-console
    console.log(
      `redis-cluster: ${queueKeys.length} queue keys in slot ${queueSlot} on :${queueKeys[0].port}; ` +
        `${kvKeys.length} kv keys in slot ${kvSlot} on :${kvKeys[0].port}; masters ${nodes.map((n) => n.port).join(', ')}`,
    );
  }, 300_000);
});
