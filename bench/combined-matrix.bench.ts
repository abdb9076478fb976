import { Queue } from 'bullmq';
import { Client } from 'pg';
import { bullConnection } from '../src/core/redis/redis-connection';
import { benchEnv, round } from './lib/bench-env';
import { createBenchWorkflow, registerBenchTenant, sinkWorkflow } from './lib/flowgate-api';
import { jsonPost, LoadResult, runLoad } from './lib/http-load';
import { cpuSeconds, resetPeakRss, START_FLAGS } from './lib/node-runtime';
import { benchSecrets, Child, startFlowgate, startScript } from './lib/processes';
import { startSink } from './lib/sink';
import { BenchFigure, BenchRun, runWhenMain } from './lib/types';

function positiveList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (!values.length || values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name} must be a comma-separated list of positive integers, got "${raw}"`);
  return values;
}

function positive(name: string, fallback: number, integer = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v)))
    throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return v;
}

const CONNECTIONS = positiveList('COMBINED_MATRIX_CONNECTIONS', [10, 50, 200]);
const CONCURRENCY = positiveList('COMBINED_MATRIX_CONCURRENCY', [10, 50, 200]);
const SECONDS = positive('COMBINED_MATRIX_SECONDS', 8);
const WARMUP_SECONDS = positive('COMBINED_MATRIX_WARMUP_SECONDS', 3);
const ROUNDS = Math.max(1, positive('COMBINED_MATRIX_ROUNDS', 1, true));
/** Longest wait, after a cell, for the jobs already taken by the worker to finish once the waiting ones are discarded. */
const SETTLE_SECONDS = positive('COMBINED_MATRIX_SETTLE_SECONDS', 30);
/** The cell the headline figures name (50 × 50 unless the lists leave it out). */
const HEADLINE = { connections: pick(CONNECTIONS, 50), concurrency: pick(CONCURRENCY, 50) };

function pick(list: number[], preferred: number): number {
  return list.includes(preferred) ? preferred : list[Math.floor(list.length / 2)];
}

type Topology = 'all' | 'split' | 'baseline';
const TOPOLOGY_LABEL: Record<Topology, string> = {
  all: 'ROLE=all',
  split: 'ROLE=api + ROLE=worker',
  baseline: 'bare baseline',
};

/** The processes under load for one (topology, concurrency): where webhooks go, how executions are counted. */
interface Deployment {
  topology: Topology;
  concurrency: number;
  ingestPort: number;
  /** Request path of one webhook. */
  path: string;
  /** Named processes (e.g. api, worker), for peak RSS and CPU. */
  processes: Record<string, Child>;
  queue: Queue;
  /** Runs finished so far: succeeded and failed. */
  finished(): Promise<{ ok: number; failed: number }>;
  stop(): Promise<void>;
}

interface Cell {
  topology: Topology;
  connections: number;
  concurrency: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** 2xx answers in the measured window. */
  accepted: number;
  /** Succeeded runs during the measured window, per second. */
  executionsPerSecond: number;
  /** Runs that ended failed during the measured window. */
  failedRuns: number;
  /** Jobs accepted and not executed yet at the end of the window (waiting, delayed or active). */
  backlog: number;
  /** Peak RSS (VmHWM) of each process during this cell, MB. */
  peakRssMb: Record<string, number>;
  /** CPU time of the processes under test over the measured window, in cores (CPU seconds per second). */
  cpuCores: number;
  /** Non-2xx answers plus socket errors. */
  failures: number;
  /** Jobs still in the queue after the settle wait (carried into the next cell; 0 unless SETTLE_SECONDS ran out). */
  carriedOver: number;
}

const BACKLOG_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
const backlogOf = (queue: Queue) => queue.getJobCountByTypes(...BACKLOG_STATES);

/**
 * After a cell: discards the jobs still waiting (they would otherwise be executed during the next
 * cell and inflate its executions/s) and waits for the ones the worker already holds to finish,
 * so every cell starts from an empty queue. Returns what is left if SETTLE_SECONDS ran out.
 */
async function settle(queue: Queue): Promise<number> {
  const deadline = performance.now() + SETTLE_SECONDS * 1000;
  for (;;) {
    await queue.drain(true);
    const left = await backlogOf(queue);
    if (left === 0 || performance.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function measureCell(dep: Deployment, connections: number): Promise<Cell> {
  const children = Object.values(dep.processes);
  for (const c of children) resetPeakRss(c.proc.pid!);
  const snapshot = async () => {
    const before = performance.now();
    const runs = await dep.finished();
    return { ...runs, t: (before + performance.now()) / 2, cpu: sum(children.map((c) => cpuSeconds(c.proc.pid!))) };
  };
  let from: ReturnType<typeof snapshot> | undefined;
  const mark = setTimeout(() => (from = snapshot()), WARMUP_SECONDS * 1000);
  let n = 0;
  const load: LoadResult = await runLoad({
    port: dep.ingestPort,
    connections,
    durationMs: SECONDS * 1000,
    warmupMs: WARMUP_SECONDS * 1000,
    request: () => jsonPost(dep.path, JSON.stringify({ order: { id: `ord_${n++}` }, user: { name: 'Alex' } })),
  });
  clearTimeout(mark);
  const [to, backlog] = await Promise.all([snapshot(), backlogOf(dep.queue)]);
  const start = await (from ?? snapshot());
  const peakRssMb = Object.fromEntries(Object.entries(dep.processes).map(([name, c]) => [name, c.peakRssMb()]));
  const carriedOver = await settle(dep.queue);
  const seconds = (to.t - start.t) / 1000;
  return {
    topology: dep.topology,
    connections,
    concurrency: dep.concurrency,
    rps: load.rps,
    p50Ms: load.latencyMs.p50,
    p99Ms: load.latencyMs.p99,
    accepted: load.requests - load.non2xx,
    executionsPerSecond: Math.round((to.ok - start.ok) / seconds),
    failedRuns: to.failed - start.failed,
    backlog,
    peakRssMb,
    cpuCores: round((to.cpu - start.cpu) / seconds, 2),
    failures: load.non2xx + load.errors,
    carriedOver,
  };
}

/**
 * What one deployment runs on: a fresh database and queue prefix, a client of each, and the
 * processes it starts (filled in by the caller); stop() ends the processes and cleans up.
 */
async function deploymentResources(tag: string) {
  const env = await benchEnv(tag);
  const db = new Client({ connectionString: env.databaseUrl });
  const queue = new Queue('executions', { connection: bullConnection(env.redisUrl), prefix: env.prefix });
  const processes: Record<string, Child> = {};
  const stop = async () => {
    for (const c of Object.values(processes)) await c.stop().catch(() => undefined);
    await queue.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    await env.cleanup();
  };
  return { env, db, queue, processes, stop };
}

/** Flowgate as `npm start` runs it, one process (ROLE=all) or two (ROLE=api + ROLE=worker), on a fresh database and queue prefix. */
async function startFlowgateDeployment(topology: 'all' | 'split', concurrency: number, sinkUrl: string): Promise<Deployment> {
  const { env, db, queue, processes, stop } = await deploymentResources(`matrix_${topology}_${concurrency}`);
  try {
    const common = {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      QUEUE_PREFIX: env.prefix,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      EXECUTION_CONCURRENCY: String(concurrency),
      ...benchSecrets(),
    };
    if (topology === 'all') processes.all = await startFlowgate({ ...common, ROLE: 'all' });
    else {
      processes.api = await startFlowgate({ ...common, ROLE: 'api' });
      processes.worker = await startFlowgate({ ...common, ROLE: 'worker' });
    }
    const api = processes.all ?? processes.api;
    const token = await registerBenchTenant(api.url, 'matrix');
    const workflowId = await createBenchWorkflow(api.url, token, sinkWorkflow('combined matrix bench', sinkUrl));
    await db.connect();
    return {
      topology,
      concurrency,
      ingestPort: api.port,
      path: `/api/webhooks/${workflowId}`,
      processes,
      queue,
      async finished() {
        const r = await db.query(
          `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS ok, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM executions`,
        );
        return r.rows[0] as { ok: number; failed: number };
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * The bare stack: bench/lib/baseline-ingest-server.ts (node:http, JSON.parse, one BullMQ add,
 * 202) and bench/lib/baseline-worker.ts (a BullMQ worker with the same concurrency doing one
 * PostgreSQL INSERT per job, pool of 10 like Flowgate's default DATABASE_POOL_SIZE).
 */
async function startBaselineDeployment(concurrency: number): Promise<Deployment> {
  const { env, db, queue, processes, stop } = await deploymentResources(`matrix_base_${concurrency}`);
  try {
    await db.connect();
    await db.query(
      'CREATE TABLE baseline_runs (id text PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
    );
    processes.ingest = await startScript('baseline-ingest-server.js', { REDIS_URL: env.redisUrl, QUEUE_PREFIX: env.prefix });
    processes.worker = await startScript('baseline-worker.js', {
      REDIS_URL: env.redisUrl,
      DATABASE_URL: env.databaseUrl,
      QUEUE_PREFIX: env.prefix,
      CONCURRENCY: String(concurrency),
      POOL_SIZE: '10',
    });
    return {
      topology: 'baseline',
      concurrency,
      ingestPort: processes.ingest.port,
      path: '/api/webhooks/00000000-0000-4000-8000-000000000000',
      processes,
      queue,
      async finished() {
        const [rows, failed] = await Promise.all([db.query('SELECT count(*)::int AS n FROM baseline_runs'), queue.getFailedCount()]);
        return { ok: rows.rows[0].n as number, failed };
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Several rounds of one cell: the median of each rate and latency, the highest peak RSS and backlog, failures summed. */
function combine(cells: Cell[]): Cell {
  if (cells.length === 1) return cells[0];
  const median = (f: (c: Cell) => number) => {
    const xs = cells.map(f).sort((a, b) => a - b);
    const mid = xs.length / 2;
    return xs.length % 2 ? xs[Math.floor(mid)] : round((xs[mid - 1] + xs[mid]) / 2, 2);
  };
  const max = (f: (c: Cell) => number) => Math.max(...cells.map(f));
  return {
    ...cells[0],
    rps: median((c) => c.rps),
    p50Ms: median((c) => c.p50Ms),
    p99Ms: median((c) => c.p99Ms),
    accepted: median((c) => c.accepted),
    executionsPerSecond: median((c) => c.executionsPerSecond),
    failedRuns: sum(cells.map((c) => c.failedRuns)),
    backlog: max((c) => c.backlog),
    peakRssMb: Object.fromEntries(Object.keys(cells[0].peakRssMb).map((k) => [k, max((c) => c.peakRssMb[k])])),
    cpuCores: median((c) => c.cpuCores),
    failures: sum(cells.map((c) => c.failures)),
    carriedOver: max((c) => c.carriedOver),
  };
}

const rssText = (c: Cell) => Object.values(c.peakRssMb).join(' + ');
/** The per-process split of a peak RSS sum, when there is more than one process. */
const rssNote = (c: Cell) => (Object.keys(c.peakRssMb).length > 1 ? `${Object.keys(c.peakRssMb).join(' + ')}: ${rssText(c)}` : undefined);
const rssTotal = (c: Cell) => sum(Object.values(c.peakRssMb));
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : NaN);

/** A matrix per metric: rows = connections, columns = EXECUTION_CONCURRENCY, each cell `ROLE=all / api + worker`. */
function matrices(cells: Map<string, Cell>): string {
  const metrics: [string, (c: Cell) => string | number][] = [
    ['webhook requests/s', (c) => c.rps],
    ['webhook latency p50 (ms)', (c) => c.p50Ms],
    ['webhook latency p99 (ms)', (c) => c.p99Ms],
    ['end-to-end executions/s (succeeded runs in the window)', (c) => c.executionsPerSecond],
    ['queue backlog at the end of the window (jobs accepted, not executed)', (c) => c.backlog],
    ['peak RSS, MB (ROLE=all: one process; split: api + worker)', rssText],
    ['CPU of the processes under test (cores)', (c) => c.cpuCores],
    ['non-2xx answers or socket errors', (c) => c.failures],
    ['runs that ended failed', (c) => c.failedRuns],
  ];
  const out: string[] = [];
  for (const [name, f] of metrics) {
    out.push(
      `**${name}**: ROLE=all / ROLE=api + ROLE=worker`,
      '',
      `| connections \\ EXECUTION_CONCURRENCY | ${CONCURRENCY.join(' | ')} |`,
      `|---|${CONCURRENCY.map(() => '---').join('|')}|`,
    );
    for (const conn of CONNECTIONS) {
      const row = CONCURRENCY.map((conc) => {
        const a = cells.get(key('all', conn, conc));
        const s = cells.get(key('split', conn, conc));
        return `${a ? f(a) : '-'} / ${s ? f(s) : '-'}`;
      });
      out.push(`| ${conn} | ${row.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function baselineTable(cells: Map<string, Cell>): string {
  const out = [
    '**Baseline (bare stack) on the diagonal, beside Flowgate in the same run**',
    '',
    '| connections × concurrency | baseline req/s | baseline p50 / p99 ms | baseline executions/s | baseline backlog | baseline peak RSS MB (ingest + worker) | ROLE=all ratio req/s, executions/s | api + worker ratio req/s, executions/s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const conc of CONCURRENCY) {
    const b = cells.get(key('baseline', conc, conc));
    if (!b) continue;
    const r = (t: Topology) => {
      const c = cells.get(key(t, conc, conc));
      return c ? `${ratio(c.rps, b.rps)}, ${ratio(c.executionsPerSecond, b.executionsPerSecond)}` : 'not measured';
    };
    out.push(
      `| ${conc} × ${conc} | ${b.rps} | ${b.p50Ms} / ${b.p99Ms} | ${b.executionsPerSecond} | ${b.backlog} | ${rssText(b)} | ${r('all')} | ${r('split')} |`,
    );
  }
  out.push('');
  return out.join('\n');
}

const key = (t: Topology, conn: number, conc: number) => `${t}:${conn}:${conc}`;

function log(c: Cell, r: number): void {
  process.stdout.write(
    `  round ${r}, ${TOPOLOGY_LABEL[c.topology]}, ${c.connections} connections × concurrency ${c.concurrency}: ${c.rps} req/s (p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms), ` +
      `${c.executionsPerSecond} executions/s, backlog ${c.backlog}, peak RSS ${rssText(c)} MB, ${c.cpuCores} cores, ${c.failures} failures, ${c.failedRuns} failed runs` +
      `${c.carriedOver ? `, ${c.carriedOver} jobs carried over` : ''}\n`,
  );
}

/**
 * The cost curve of combined load: webhook ingest and execution at the same time, for both
 * topologies, at every (connections, EXECUTION_CONCURRENCY) pair, with the bare stack on the
 * diagonal as the same-run baseline. Processes start once per (topology, concurrency); each
 * connection count is its own warm-up + window on them, from an empty queue.
 */
export const run: BenchRun = async () => {
  const results = new Map<string, Cell[]>();
  const record = (c: Cell, r: number) => {
    const k = key(c.topology, c.connections, c.concurrency);
    results.set(k, [...(results.get(k) ?? []), c]);
    log(c, r);
  };
  const sink = await startSink();
  try {
    for (let r = 1; r <= ROUNDS; r++) {
      for (const conc of CONCURRENCY) {
        // Baseline for this concurrency first, then both topologies: interleaved, so load from other work on the machine spreads over all of them.
        const base = await startBaselineDeployment(conc);
        try {
          record(await measureCell(base, conc), r);
        } finally {
          await base.stop();
        }
        for (const topology of ['all', 'split'] as const) {
          const dep = await startFlowgateDeployment(topology, conc, sink.url);
          try {
            for (const conn of CONNECTIONS) record(await measureCell(dep, conn), r);
          } finally {
            await dep.stop();
          }
        }
      }
    }
  } finally {
    sink.server.close();
  }

  const cells = new Map([...results].map(([k, cs]) => [k, combine(cs)]));
  const figures: BenchFigure[] = [];
  const { connections: hc, concurrency: hk } = HEADLINE;
  const hBase = cells.get(key('baseline', hk, hk));
  const baselineNote = (b: Cell | undefined) =>
    b ? `baseline: bare stack at ${b.connections} connections × concurrency ${b.concurrency}` : '';
  for (const topology of ['all', 'split'] as const) {
    const label = TOPOLOGY_LABEL[topology];
    const c = cells.get(key(topology, hc, hk))!;
    const base = hc === hk ? hBase : undefined;
    const rssMb = { flowgate: rssTotal(c), baseline: base ? rssTotal(base) : undefined, note: rssNote(c) };
    figures.push(
      {
        name: `${label}, ${hc} connections × concurrency ${hk}: webhook requests/s`,
        flowgate: c.rps,
        baseline: base?.rps,
        unit: 'req/s',
        rssMb,
      },
      {
        name: `${label}, ${hc} × ${hk}: end-to-end executions/s`,
        flowgate: c.executionsPerSecond,
        baseline: base?.executionsPerSecond,
        unit: 'jobs/s',
        rssMb,
        note: `backlog at the end of the window ${c.backlog}${base ? `, baseline ${base.backlog}` : ''}`,
      },
      {
        name: `${label}, ${hc} × ${hk}: webhook latency p50 / p99`,
        flowgate: `${c.p50Ms} / ${c.p99Ms} ms`,
        baseline: base ? `${base.p50Ms} / ${base.p99Ms} ms` : undefined,
      },
    );
    if (base)
      figures.push({
        name: `${label}, ${hc} × ${hk}: ratio to baseline (req/s, executions/s)`,
        flowgate: `${ratio(c.rps, base.rps)}, ${ratio(c.executionsPerSecond, base.executionsPerSecond)}`,
      });
    const best = [...cells.values()]
      .filter((x) => x.topology === topology)
      .reduce((a, b) => (b.executionsPerSecond > a.executionsPerSecond ? b : a));
    const bestBase = cells.get(key('baseline', best.concurrency, best.concurrency));
    figures.push({
      name: `${label}: best executions/s (${best.connections} connections × concurrency ${best.concurrency}; webhook ${best.rps} req/s, p99 ${best.p99Ms} ms)`,
      flowgate: best.executionsPerSecond,
      baseline: bestBase?.executionsPerSecond,
      unit: 'jobs/s',
      rssMb: { flowgate: rssTotal(best), baseline: bestBase ? rssTotal(bestBase) : undefined, note: rssNote(best) },
      note: bestBase
        ? `ratio ${ratio(best.executionsPerSecond, bestBase.executionsPerSecond)}; ${baselineNote(bestBase)}`
        : 'no baseline at this concurrency',
    });
  }
  const all = [...cells.values()];
  const flowgateCells = all.filter((c) => c.topology !== 'baseline');
  const failures = sum(flowgateCells.map((c) => c.failures));
  const failedRuns = sum(flowgateCells.map((c) => c.failedRuns));
  figures.push(
    {
      name: 'non-2xx answers or socket errors, all Flowgate cells',
      flowgate: failures,
      baseline: sum(all.filter((c) => c.topology === 'baseline').map((c) => c.failures)),
      target: '0',
      pass: failures === 0,
    },
    { name: 'runs that ended failed, all Flowgate cells', flowgate: failedRuns, target: '0', pass: failedRuns === 0 },
  );
  const carried = Math.max(0, ...all.map((c) => c.carriedOver));

  return {
    title: 'Combined load matrix: the cost curve',
    method:
      `Webhook ingest and execution at the same time, for connections ${CONNECTIONS.join(', ')} × EXECUTION_CONCURRENCY ${CONCURRENCY.join(', ')}, in two topologies: one \`ROLE=all\` process, and a \`ROLE=api\` process beside a \`ROLE=worker\` process (npm start's node flags, \`${START_FLAGS.join(' ')}\`; DATABASE_POOL_SIZE default 10). ` +
      `The workflow is combined-load's: transform, then the http connector POSTing to a local sink. Processes start once per (topology, concurrency) on a fresh database and queue prefix; each connection count (ascending) is one cell on them: ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured, ${ROUNDS} round(s)${ROUNDS > 1 ? ' (per cell the median of each rate and latency, the highest peak RSS and backlog)' : ''}. ` +
      `Every cell starts from an empty queue: after its window the waiting jobs are discarded and the taken ones finish (up to ${SETTLE_SECONDS} s${carried ? `; up to ${carried} jobs were carried over` : ''}). ` +
      'Per cell: webhook req/s and p50/p99 latency over the window; executions/s = succeeded execution rows written during the window; backlog = jobs in the queue (waiting, delayed, active) at the end of the window: near 0 when execution keeps up with ingest; peak RSS = VmHWM per process, reset at the start of each cell (so it includes what earlier cells left on the heap), summed over the processes in the peak RSS columns; CPU = CPU seconds per second of the processes under test. ' +
      `Baseline (same run, interleaved, at connections = concurrency = ${CONCURRENCY.join(', ')}): the bare stack, bench/lib/baseline-ingest-server.ts (node:http, JSON.parse, one BullMQ add, 202) with bench/lib/baseline-worker.ts (BullMQ worker with the same concurrency doing one PostgreSQL INSERT per job, pool of 10): no auth, lookup, workflow, HTTP call or execution bookkeeping. ` +
      'How to read it: docs/combined-load.md. Standalone: `npm run build && node dist/bench/combined-matrix.bench.js` (COMBINED_MATRIX_SECONDS, _WARMUP_SECONDS, _ROUNDS, _CONNECTIONS, _CONCURRENCY).',
    figures,
    extra: [matrices(cells), baselineTable(cells)].join('\n'),
  };
};

runWhenMain(module, run);
