import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { bullConnection } from '../src/core/redis/redis-connection';
import { benchEnv, round } from './lib/bench-env';
import { createBenchWorkflow, registerBenchTenant, sinkWorkflow } from './lib/flowgate-api';
import { jsonPost, runLoad } from './lib/http-load';
import { benchSecrets, Child, startFlowgate, startScript } from './lib/processes';
import { cpuSeconds, START_FLAGS } from './lib/node-runtime';
import { redisCpuSeconds } from './lib/redis-keys';
import { startSink } from './lib/sink';
import { BenchRun, runWhenMain } from './lib/types';

const EVENTS = Number(process.env.E2E_EVENTS ?? 20_000);
const CONCURRENCY = Number(process.env.E2E_CONCURRENCY ?? 50);
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 600_000);

/** Polls `count()` until it reaches `target`; returns the seconds from `startedAt`. */
async function drain(count: () => Promise<number>, target: number, startedAt: number, what: string): Promise<number> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const n = await count();
    if (n >= target) return (performance.now() - startedAt) / 1000;
    if (Date.now() > deadline) throw new Error(`${what}: only ${n} of ${target} done within ${TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * End to end: EVENTS webhook events through a two-step workflow (transform, then an HTTP POST
 * to a local sink) into succeeded executions, one worker process; against a bare BullMQ
 * worker doing one PostgreSQL insert per job. Both drain a pre-filled, paused queue, so the
 * figure is the worker's throughput (ingest is measured by the ingest benchmark).
 */
export const run: BenchRun = async () => {
  const env = await benchEnv('e2e');
  const sink = await startSink();
  const secrets = benchSecrets();
  const db = new Client({ connectionString: env.databaseUrl });
  await db.connect();
  let flowgateSeconds = NaN;
  let baselineSeconds = NaN;
  let ingestRps = NaN;
  let rows = { total: 0, succeeded: 0, distinct: 0 };
  const children: Child[] = [];
  const peakRss = { baselineWorker: NaN, api: NaN, worker: NaN };
  /** CPU µs per event: the worker process's and Redis's during each drain, the API's and Redis's during ingest. */
  const cpu = { baselineWorker: NaN, baselineRedis: NaN, worker: NaN, workerRedis: NaN, api: NaN, apiRedis: NaN };
  /** Rows written to executions (all partitions) during Flowgate's drain. */
  let writes = { ins: NaN, upd: NaN };
  const tupleCounts = async () => {
    await db.query('SELECT pg_stat_clear_snapshot()');
    const r = await db.query(
      `SELECT coalesce(sum(n_tup_ins), 0)::bigint AS ins, coalesce(sum(n_tup_upd), 0)::bigint AS upd FROM pg_stat_user_tables
       WHERE relid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'executions'::regclass)`,
    );
    return { ins: Number(r.rows[0].ins), upd: Number(r.rows[0].upd) };
  };
  const perEvent = (seconds: number) => round((seconds * 1e6) / EVENTS, 0);
  try {
    // --- baseline: bare BullMQ worker, one INSERT per job
    await db.query(
      'CREATE TABLE baseline_runs (id text PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
    );
    const basePrefix = `${env.prefix}-base`;
    const baseQueue = new Queue('executions', { connection: bullConnection(env.redisUrl), prefix: basePrefix });
    await baseQueue.pause();
    for (let i = 0; i < EVENTS; i += 1000) {
      await baseQueue.addBulk(
        Array.from({ length: Math.min(1000, EVENTS - i) }, (_, j) => ({
          name: 'run',
          data: { order: { id: `ord_${i + j}` }, user: { name: 'Alex' } },
          opts: { jobId: randomUUID(), removeOnComplete: { age: 3600, count: 1000 } },
        })),
      );
    }
    const baseWorker = await startScript('baseline-worker.js', {
      REDIS_URL: env.redisUrl,
      DATABASE_URL: env.databaseUrl,
      QUEUE_PREFIX: basePrefix,
      CONCURRENCY: String(CONCURRENCY),
    });
    children.push(baseWorker);
    let started = performance.now();
    let cpuFrom = { proc: cpuSeconds(baseWorker.proc.pid!), redis: await redisCpuSeconds(env.redisUrl) };
    await baseQueue.resume();
    baselineSeconds = await drain(
      async () => (await db.query('SELECT count(*)::int AS n FROM baseline_runs')).rows[0].n,
      EVENTS,
      started,
      'baseline',
    );
    cpu.baselineWorker = perEvent(cpuSeconds(baseWorker.proc.pid!) - cpuFrom.proc);
    cpu.baselineRedis = perEvent((await redisCpuSeconds(env.redisUrl)) - cpuFrom.redis);
    await baseWorker.stop();
    peakRss.baselineWorker = baseWorker.peakRssMb();
    await baseQueue.close();

    // --- Flowgate: webhook events into a paused queue, then one worker process drains it
    const fgPrefix = `${env.prefix}-fg`;
    const fgQueue = new Queue('executions', { connection: bullConnection(env.redisUrl), prefix: fgPrefix });
    await fgQueue.pause();
    const common = { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: fgPrefix, ...secrets };
    const api = await startFlowgate({ ...common, ROLE: 'api' });
    children.push(api);
    const token = await registerBenchTenant(api.url, 'e2e');
    const workflowId = await createBenchWorkflow(api.url, token, sinkWorkflow('e2e bench', sink.url));
    let n = 0;
    cpuFrom = { proc: cpuSeconds(api.proc.pid!), redis: await redisCpuSeconds(env.redisUrl) };
    const load = await runLoad({
      port: api.port,
      connections: 50,
      durationMs: TIMEOUT_MS,
      maxRequests: EVENTS,
      request: () => jsonPost(`/api/webhooks/${workflowId}`, JSON.stringify({ order: { id: `ord_${n++}` }, user: { name: 'Alex' } })),
    });
    ingestRps = load.rps;
    cpu.api = perEvent(cpuSeconds(api.proc.pid!) - cpuFrom.proc);
    cpu.apiRedis = perEvent((await redisCpuSeconds(env.redisUrl)) - cpuFrom.redis);
    if (load.requests !== EVENTS || load.non2xx)
      throw new Error(`ingest: ${load.requests} sent, statuses ${JSON.stringify(load.statuses)}`);
    await api.stop();
    peakRss.api = api.peakRssMb();

    const worker = await startFlowgate({
      ...common,
      ROLE: 'worker',
      EXECUTION_CONCURRENCY: String(CONCURRENCY),
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    });
    children.push(worker);
    const writesFrom = await tupleCounts();
    started = performance.now();
    cpuFrom = { proc: cpuSeconds(worker.proc.pid!), redis: await redisCpuSeconds(env.redisUrl) };
    await fgQueue.resume();
    const countOk = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM executions WHERE status = 'succeeded'`)).rows[0].n as number;
    flowgateSeconds = await drain(countOk, EVENTS, started, 'Flowgate');
    cpu.worker = perEvent(cpuSeconds(worker.proc.pid!) - cpuFrom.proc);
    cpu.workerRedis = perEvent((await redisCpuSeconds(env.redisUrl)) - cpuFrom.redis);
    const r = await db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded, count(DISTINCT id)::int AS distinct FROM executions WHERE workflow_id = $1`,
      [workflowId],
    );
    rows = r.rows[0];
    await worker.stop();
    peakRss.worker = worker.peakRssMb();
    // A backend flushes its table counters at commit (at most once a second) or, once idle, up
    // to 10 s later; a closed connection flushes them at once. Read after the worker has exited.
    for (let last = await tupleCounts(); ;) {
      await new Promise((r) => setTimeout(r, 1500));
      const now = await tupleCounts();
      if (now.ins === last.ins && now.upd === last.upd) {
        writes = { ins: now.ins - writesFrom.ins, upd: now.upd - writesFrom.upd };
        break;
      }
      last = now;
    }
    await fgQueue.close();
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    await db.end();
    sink.server.close();
    await env.cleanup();
  }

  const fgRate = EVENTS / flowgateSeconds;
  const baseRate = EVENTS / baselineSeconds;
  const ratio = fgRate / baseRate;
  const rssMb = { flowgate: peakRss.worker, baseline: peakRss.baselineWorker, note: 'worker' };
  return {
    title: 'End to end',
    method:
      `${EVENTS} webhook events (POST /api/webhooks/:id on a ROLE=api process, ingest ${ingestRps} req/s, its peak RSS ${peakRss.api} MB) queued while the queue is paused; then one ROLE=worker process (EXECUTION_CONCURRENCY=${CONCURRENCY}; Flowgate processes run with npm start's node flags, \`${START_FLAGS.join(' ')}\`) drains them through a two-step workflow (transform, then the http connector POSTing to a local sink), each run recorded as one execution row (a run shorter than EXECUTION_RUNNING_ROW_AFTER_MS, 250 ms by default, is written once, when it ends; a longer one also when it has run that long). ` +
      `Timed from resuming the queue to the last succeeded row. Baseline: ${EVENTS} jobs added with addBulk to a paused queue, drained by a bare BullMQ worker (concurrency ${CONCURRENCY}) doing one PostgreSQL INSERT per job (bench/lib/baseline-worker.ts). Published reference: n8n states 220 executions/s for a single instance.`,
    figures: [
      {
        name: 'executions/s',
        flowgate: Math.round(fgRate),
        baseline: Math.round(baseRate),
        unit: 'jobs/s',
        target: '>= 0.6x baseline',
        pass: ratio >= 0.6,
        rssMb,
      },
      { name: 'ratio to baseline', flowgate: round(ratio, 2), target: '>= 0.6', pass: ratio >= 0.6 },
      {
        name: 'worker CPU per execution (the worker process over the drain ÷ events)',
        flowgate: cpu.worker,
        baseline: cpu.baselineWorker,
        unit: 'µs',
      },
      {
        name: 'Redis CPU per execution while draining (INFO cpu, user + system)',
        flowgate: cpu.workerRedis,
        baseline: cpu.baselineRedis,
        unit: 'µs',
      },
      {
        name: 'while ingesting: API process CPU / Redis CPU per accepted webhook',
        flowgate: `${cpu.api} / ${cpu.apiRedis}`,
        unit: 'µs',
      },
      {
        name: 'rows written to executions per run while draining (inserts / updates, pg_stat_user_tables over the partitions)',
        flowgate: `${round(writes.ins / EVENTS, 2)} / ${round(writes.upd / EVENTS, 2)}`,
        baseline: '1 / 0',
        target: '1 insert, 0 updates per quick run',
        pass: writes.ins === EVENTS && writes.upd === 0,
      },
      { name: 'drain time', flowgate: round(flowgateSeconds, 1), baseline: round(baselineSeconds, 1), unit: 's', rssMb },
      {
        name: 'execution rows / succeeded / distinct',
        flowgate: `${rows.total} / ${rows.succeeded} / ${rows.distinct}`,
        target: `${EVENTS} each`,
        pass: rows.total === EVENTS && rows.succeeded === EVENTS && rows.distinct === EVENTS,
        rssMb,
      },
    ],
  };
};

runWhenMain(module, run);
