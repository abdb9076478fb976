import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './support/free-port';
import { HttpClient } from './support/http-client';
import { RedisProcess, spawnRedisProcess } from './support/redis-server';
import { FlowgateProcess, spawnFlowgate } from './support/spawn-flowgate';
import { registerTenant } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow } from './support/workflow-helpers';

const run = promisify(execFile);

const cli = async (port: number, ...args: string[]): Promise<string> =>
  (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();

/** A redis-server (or sentinel, with `--sentinel`) on a free loopback port, run in `dir`; resolves once it answers PING. */
const startRedis = (dir: string, args: (port: number) => string[], port?: number) => spawnRedisProcess(args, { cwd: dir, port });

const dataServer =
  (dir: string, extra: string[] = []) =>
  (port: number) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--dbfilename',
    `dump-${port}.rdb`,
    ...extra,
  ];

/** Every key on one server (SCAN), under the given prefix. */
async function keysOn(port: number, prefix: string): Promise<string[]> {
  return (await cli(port, '--scan', '--pattern', `${prefix}:*`)).split('\n').filter(Boolean);
}

/**
 * Connections on a server that are Flowgate's: not the sentinel's (named `sentinel-…`), not a
 * replication link (flag S on a master, M on a replica), not the CLIENT LIST that asks.
 */
async function flowgateClients(port: number): Promise<string[]> {
  const lines = (await cli(port, 'client', 'list')).split('\n').filter(Boolean);
  return lines.filter((l) => !/ name=sentinel-/.test(l) && !/ flags=\w*[SM]/.test(l) && !/ cmd=client\|list/.test(l));
}

const sentinelMaster = async (sentinelPort: number, name: string): Promise<number | undefined> => {
  const out = (await cli(sentinelPort, 'sentinel', 'get-master-addr-by-name', name)).split('\n');
  return out.length === 2 ? Number(out[1]) : undefined;
};

/**
 * Redis Sentinel end to end: Flowgate (ROLE=all) with REDIS_SENTINELS/REDIS_SENTINEL_NAME finds
 * its master through a real `redis-server --sentinel` (REDIS_URL names a port nobody listens
 * on), every webhook accepted with a 202 runs exactly once, its keys sit on the sentinel's
 * master, and after a `SENTINEL FAILOVER` to the replica Flowgate follows the new master.
 */
describe('Redis Sentinel: the master found through a sentinel, and a failover (compiled service)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-sentinel-'));
  const name = `fg${randomBytes(3).toString('hex')}`;
  const prefix = `${process.env.QUEUE_PREFIX ?? 'fgt-local'}-sn-${randomBytes(3).toString('hex')}`;
  const servers: RedisProcess[] = [];
  let master: RedisProcess;
  let replica: RedisProcess;
  let sentinel: RedisProcess;
  let flowgate: FlowgateProcess | undefined;
  let http: HttpClient;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let workflowId: string;
  let db: Client;

  /** Posts `n` webhooks, 10 at a time; every one must be accepted. Returns the executionIds. */
  const postWebhooks = async (n: number, tag: string): Promise<string[]> => {
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < n) {
          const i = next++;
          const res = await http.post(`/api/webhooks/${workflowId}`, { user: { name: `${tag}${i}` }, order: { id: i } });
          expect(res.status).toBe(202);
          ids.push(res.body.executionId as string);
        }
      }),
    );
    return ids;
  };

  /** Waits for the runs to finish; each accepted id has exactly one row, succeeded on its first attempt. */
  const expectRunOnce = async (ids: string[]) => {
    const rows = await waitFor(
      async () => {
        const r = await db.query<{ id: string; status: string; attempts: number }>(
          'SELECT id, status, attempts FROM executions WHERE id = ANY($1::uuid[])',
          [ids],
        );
        return r.rows.length >= ids.length && r.rows.every((x) => x.status === 'succeeded' || x.status === 'failed') && r.rows;
      },
      `${ids.length} runs to finish`,
      40_000,
      100,
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.filter((r) => r.status !== 'succeeded' || r.attempts !== 1)).toEqual([]);
  };

  beforeAll(async () => {
    // The sentinel cannot demote this master after the failover (REPLICAOF/SLAVEOF renamed away):
    // it stays a writable master, as one the sentinels have lost but clients still reach. Only
    // the sentinel's word (+switch-master) can move Flowgate off it.
    master = await startRedis(dir, dataServer(dir, ['--rename-command', 'REPLICAOF', '', '--rename-command', 'SLAVEOF', '']));
    servers.push(master);
    // The replica starts before the sentinel, so the sentinel's first INFO of the master lists it.
    replica = await startRedis(dir, dataServer(dir, ['--replicaof', '127.0.0.1', String(master.port)]));
    servers.push(replica);
    await waitFor(
      async () => (await cli(replica.port, 'info', 'replication')).includes('master_link_status:up'),
      'the replica to sync',
      10_000,
      50,
    );
    const sentinelPort = await freePort();
    const conf = join(dir, 'sentinel.conf');
    // The sentinel rewrites this file (known replicas, epochs): it lives in the writable temp dir.
    writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 10000`,
        '',
      ].join('\n'),
    );
    sentinel = await startRedis(dir, () => [conf, '--sentinel'], sentinelPort);
    servers.push(sentinel);
    await waitFor(async () => (await sentinelMaster(sentinelPort, name)) === master.port, 'the sentinel to name the master', 10_000, 50);

    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const unused = await freePort();
    flowgate = await spawnFlowgate({
      ROLE: 'all',
      DATABASE_URL: process.env.DATABASE_URL!,
      // Nobody listens here: the master's address can only come from the sentinel.
      REDIS_URL: `redis://127.0.0.1:${unused}`,
      REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      REDIS_SENTINEL_NAME: name,
      QUEUE_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      RATE_LIMIT_LIMIT: '100000',
      AUTH_RATE_LIMIT_IP_LIMIT: '100000',
      WEBHOOK_RATE_LIMIT: '100000',
    });
    http = new HttpClient(flowgate.url);
    owner = await registerTenant(http, 'Sentinel');
    workflowId = (await createWorkflow(http, owner.token, coreWorkflow())).id as string;
  }, 60_000);

  afterAll(async () => {
    await flowgate?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('finds the master through the sentinel: 50 webhooks each run once, their keys on that master', async () => {
    const ids = await postWebhooks(50, 'a');
    expect(new Set(ids).size).toBe(50);
    await expectRunOnce(ids);

    // The queue's keys are on the master the sentinel names; Flowgate's connections are there.
    const keys = await keysOn(master.port, prefix);
    for (const q of ['executions', 'maintenance']) expect(keys.some((k) => k.startsWith(`${prefix}:${q}:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:kv:`))).toBe(true);
    const names = (await flowgateClients(master.port)).join('\n');
    for (const n of ['flowgate-all', 'flowgate-all-ingest', 'flowgate-all-workflow-sub']) expect(names).toContain(` name=${n} `);
    // The replica holds no client of Flowgate's (it writes to the master only).
    expect(await flowgateClients(replica.port)).toEqual([]);
  }, 60_000);

  it('follows a SENTINEL FAILOVER to the replica: webhooks after it are accepted and run once, on the new master', async () => {
    // The sentinel must know the replica (and see its link up) before it can promote it.
    await waitFor(
      async () => {
        const out = await cli(sentinel.port, 'sentinel', 'replicas', name);
        return out.includes(String(replica.port)) && /flags\nslave\n/.test(out) && out.includes('master-link-status\nok');
      },
      'the sentinel to know the replica',
      20_000,
      100,
    );
    const before = new Set(await keysOn(master.port, prefix));
    await waitFor(
      async () => (await cli(sentinel.port, 'sentinel', 'failover', name)) === 'OK',
      'the sentinel to accept the failover',
      10_000,
      200,
    );
    await waitFor(
      async () => (await sentinelMaster(sentinel.port, name)) === replica.port,
      'the sentinel to name the new master',
      20_000,
      50,
    );
    const switched = Date.now();
    // Flowgate moves every connection to the new master.
    await waitFor(
      async () => {
        const onNew = (await flowgateClients(replica.port)).join('\n');
        return (
          onNew.includes(' name=flowgate-all-ingest ') &&
          onNew.includes(' name=flowgate-all ') &&
          (await flowgateClients(master.port)).length === 0
        );
      },
      'Flowgate to move to the new master',
      30_000,
      100,
    );
    // eslint-disable-next-line no-console -- what the test saw, for docs/scaling-out.md
    console.log(`redis-sentinel: Flowgate on the new master ${Date.now() - switched} ms after the sentinel switched`);
    // The old master is still a master: Flowgate left it on the sentinel's word, not because it was demoted.
    expect((await cli(master.port, 'role')).split('\n')[0]).toBe('master');

    const ids = await postWebhooks(50, 'b');
    expect(new Set(ids).size).toBe(50);
    await expectRunOnce(ids);
    // The new runs' keys are on the new master; the old one got nothing new.
    const keys = await keysOn(replica.port, prefix);
    expect(keys.some((k) => k.startsWith(`${prefix}:executions:`))).toBe(true);
    expect((await keysOn(master.port, prefix)).filter((k) => !before.has(k))).toEqual([]);
    expect(await flowgateClients(master.port)).toEqual([]);
  }, 60_000);
});
