import { randomBytes } from 'node:crypto';
import { cpus, hostname, totalmem } from 'node:os';
import { Client } from 'pg';
import { benchEnv } from './lib/bench-env';
import { createBenchWorkflow, registerBenchTenant } from './lib/flowgate-api';
import { jsonPost, runLoad } from './lib/http-load';
import {
  findN8nNode,
  installN8n,
  killRunningCommands,
  N8N_VERSION,
  N8N_WEBHOOK_PATH,
  N8nInstall,
  removeFolders,
  startN8n,
} from './lib/n8n';
import { cpuSeconds, START_FLAGS } from './lib/node-runtime';
import { benchSecrets, Child, startFlowgate } from './lib/processes';
import { BenchFigure, BenchRun, runWhenMain } from './lib/types';

const CONNECTIONS = Number(process.env.PEERS_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.PEERS_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.PEERS_WARMUP_SECONDS ?? 5);
const ROUNDS = Number(process.env.PEERS_ROUNDS ?? 2);
/** After the load stops, how long to wait for the queued executions to finish. */
const DRAIN_TIMEOUT_MS = Number(process.env.PEERS_DRAIN_TIMEOUT_MS ?? 300_000);
/** ...and how long the count may stay still before the drain is called over. */
const DRAIN_STALL_MS = Number(process.env.PEERS_DRAIN_STALL_MS ?? 15_000);

type System = 'n8n' | 'flowgate' | 'flowgate-split';
const LABEL: Record<System, string> = {
  n8n: `n8n ${N8N_VERSION}`,
  flowgate: 'Flowgate, one process',
  'flowgate-split': 'Flowgate, API + worker',
};

interface Measurement {
  system: System;
  round: number;
  /** Webhook answers per second over the measured window (2xx or not; failures are counted apart). */
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx answers and socket errors in the measured window. */
  failures: number;
  /** Executions recorded as succeeded during the measured window, per second. */
  executionsPerSecond: number;
  /** Webhooks sent in all (warm-up included) plus the readiness call(s). */
  sent: number;
  /** Succeeded executions once the queue drained (or the drain gave up). */
  drained: number;
  /** Seconds from the end of the load to the last execution counted. */
  drainSeconds: number;
  /** CPU (user + system) of the system's processes over the measured window, per execution, µs. */
  cpuUsPerExecution: number;
  peakRssMb: number;
}

interface Target {
  port: number;
  path: string;
  /** Succeeded executions in the system's own database. */
  succeeded(): Promise<number>;
  /** What the latest execution stored: must hold the rendered greeting. */
  lastOutput(): Promise<string>;
  /** Executions the setup itself caused (n8n's readiness call). */
  readinessCalls: number;
  pids: number[];
}

/** Stops of what the round running now started, for an interrupted run. */
const active = new Set<() => Promise<void>>();

/** Runs `fn` with `stop` registered for an interrupted run, and calls `stop` afterwards in any case. */
async function withCleanup<T>(stop: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  active.add(stop);
  try {
    return await fn();
  } finally {
    await stop();
    active.delete(stop);
  }
}

const body = (i: number) => JSON.stringify({ name: `Customer ${i % 1000}`, id: i });

/**
 * The load on one started system: CONNECTIONS keep-alive connections posting `{"name","id"}`
 * for WARMUP_SECONDS + SECONDS; succeeded executions counted when the measured window opens
 * and when it closes (both systems finish executions after answering), then again until every
 * webhook sent is an execution, or the count stops moving.
 */
async function measureLoad(system: System, round: number, t: Target, peakRss: () => number): Promise<Measurement> {
  const sample = async () => ({
    n: await t.succeeded(),
    t: performance.now(),
    cpu: t.pids.reduce((a, pid) => a + cpuSeconds(pid), 0),
  });
  let from: Promise<{ n: number; t: number; cpu: number }> | undefined;
  const mark = setTimeout(() => (from = sample()), WARMUP_SECONDS * 1000);
  let issued = 0;
  const load = await runLoad({
    port: t.port,
    connections: CONNECTIONS,
    durationMs: SECONDS * 1000,
    warmupMs: WARMUP_SECONDS * 1000,
    request: (i) => {
      issued++;
      return jsonPost(t.path, body(i));
    },
  });
  clearTimeout(mark);
  const to = await sample();
  const start = await from!;
  const loadEnd = to.t;

  const expected = issued + t.readinessCalls;
  let drained = to.n;
  let lastChange = performance.now();
  let lastChangeAt = loadEnd;
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (drained < expected && Date.now() < deadline && performance.now() - lastChange < DRAIN_STALL_MS) {
    await new Promise((r) => setTimeout(r, 200));
    const n = await t.succeeded();
    if (n !== drained) {
      drained = n;
      lastChange = lastChangeAt = performance.now();
    }
  }
  const output = await t.lastOutput();
  if (!/Hello Customer \d+! Order #\d+/.test(output))
    throw new Error(`${LABEL[system]}: the latest execution holds no rendered greeting: ${output.slice(0, 300)}`);
  const executions = to.n - start.n;
  const m: Measurement = {
    system,
    round,
    rps: load.rps,
    p50: load.latencyMs.p50,
    p99: load.latencyMs.p99,
    failures: load.non2xx + load.errors,
    executionsPerSecond: Math.round(executions / ((to.t - start.t) / 1000)),
    sent: expected,
    drained,
    drainSeconds: Math.round((lastChangeAt - loadEnd) / 100) / 10,
    cpuUsPerExecution: executions > 0 ? Math.round(((to.cpu - start.cpu) * 1e6) / executions) : NaN,
    peakRssMb: peakRss(),
  };
  process.stdout.write(
    `  round ${round}, ${LABEL[system]}: ${m.rps} req/s, ${m.executionsPerSecond} executions/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
      `${m.failures} failures, ${m.drained}/${m.sent} executed after ${m.drainSeconds} s of drain, ${m.cpuUsPerExecution} µs CPU per execution, peak RSS ${m.peakRssMb} MB\n`,
  );
  return m;
}

async function measureN8n(install: N8nInstall, round: number): Promise<Measurement> {
  const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const tag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  let stop: () => Promise<void> = async () => undefined;
  return withCleanup(
    () => stop(),
    async () => {
      const n8n = await startN8n(install, base, tag, (s) => (stop = s));
      return measureLoad(
        'n8n',
        round,
        {
          port: n8n.port,
          path: `/webhook/${N8N_WEBHOOK_PATH}`,
          succeeded: async () => (await n8n.count()).success,
          lastOutput: () => n8n.lastOutput(),
          readinessCalls: 1,
          pids: [n8n.proc.pid!],
        },
        () => n8n.peakRssMb(),
      );
    },
  );
}

async function measureFlowgate(system: 'flowgate' | 'flowgate-split', round: number): Promise<Measurement> {
  const env = await benchEnv('peers');
  const db = new Client({ connectionString: env.databaseUrl });
  const children: Child[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const c of children) await c.stop().catch(() => undefined);
      await db.end().catch(() => undefined);
      await env.cleanup();
    })());
  return withCleanup(stop, async () => {
    const common = { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: env.prefix, ...benchSecrets() };
    const start = async (role: string) => {
      const child = await startFlowgate({ ...common, ROLE: role });
      children.push(child);
      return child;
    };
    const api = await start(system === 'flowgate' ? 'all' : 'api');
    if (system === 'flowgate-split') await start('worker');
    const token = await registerBenchTenant(api.url, 'peers');
    const workflowId = await createBenchWorkflow(api.url, token, {
      name: 'peer benchmark',
      trigger: { type: 'webhook' },
      steps: [{ name: 'greeting', type: 'transform', params: { greeting: 'Hello {{trigger.name}}! Order #{{trigger.id}}' } }],
    });
    await db.connect();
    return measureLoad(
      system,
      round,
      {
        port: api.port,
        path: `/api/webhooks/${workflowId}`,
        succeeded: async () => (await db.query(`SELECT count(*)::int AS n FROM executions WHERE status = 'succeeded'`)).rows[0].n as number,
        lastOutput: async () =>
          String(
            (await db.query(`SELECT steps::text AS s FROM executions WHERE status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`)).rows[0]
              ?.s ?? '',
          ),
        readinessCalls: 0,
        pids: children.map((c) => c.proc.pid!),
      },
      () => children.reduce((a, c) => a + c.peakRssMb(), 0),
    );
  });
}

const ratio = (a: number, b: number) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×` : 'n/a');

/**
 * Peer benchmark against n8n: n8n installed from the npm registry at a pinned version into a
 * temporary folder, and Flowgate, each given the same webhook → greeting workflow and the same
 * load, one after the other, interleaved for ROUNDS rounds, each on a fresh database.
 */
export const run: BenchRun = async () => {
  const n8nNode = findN8nNode();
  let install: N8nInstall | undefined;
  const interrupted = (signal: NodeJS.Signals) => {
    // an interrupted run still stops what it started (n8n runs in its own process group, so a
    // Ctrl-C does not reach it), drops its databases and removes the temporary folder
    process.stderr.write(`\n  ${signal}: cleaning up\n`);
    killRunningCommands();
    const cap = new Promise((r) => setTimeout(r, 30_000).unref());
    void Promise.race([Promise.allSettled([...active].map((stop) => stop())), cap]).finally(() => {
      removeFolders();
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const rounds: Measurement[] = [];
  try {
    process.stdout.write(`  installing n8n@${N8N_VERSION} from the npm registry (Node ${n8nNode})...\n`);
    install = await installN8n(n8nNode);
    process.stdout.write(`  installed in ${install.installSeconds} s (${install.dir})\n`);
    for (let r = 1; r <= ROUNDS; r++) {
      rounds.push(await measureN8n(install, r));
      rounds.push(await measureFlowgate('flowgate', r));
      rounds.push(await measureFlowgate('flowgate-split', r));
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    install?.remove();
  }

  const of = (s: System) => rounds.filter((m) => m.system === s);
  const best = (s: System) => {
    const ms = of(s);
    const max = (f: (m: Measurement) => number) => Math.max(...ms.map(f));
    const min = (f: (m: Measurement) => number) => Math.min(...ms.map(f));
    return {
      rps: max((m) => m.rps),
      eps: max((m) => m.executionsPerSecond),
      p50: min((m) => m.p50),
      p99: min((m) => m.p99),
      cpu: min((m) => m.cpuUsPerExecution),
      rss: max((m) => m.peakRssMb),
      failures: ms.reduce((a, m) => a + m.failures, 0),
      drained: ms.reduce((a, m) => a + m.drained, 0),
      sent: ms.reduce((a, m) => a + m.sent, 0),
    };
  };
  const fg = best('flowgate');
  const split = best('flowgate-split');
  const n8n = best('n8n');
  const epsRatio = fg.eps / n8n.eps;
  const rssMb = { flowgate: fg.rss, baseline: n8n.rss };

  const figures: BenchFigure[] = [
    { name: 'webhook req/s', flowgate: fg.rps, baseline: n8n.rps, unit: 'req/s', rssMb, note: `ratio ${ratio(fg.rps, n8n.rps)}` },
    {
      name: 'end-to-end executions/s under that load',
      flowgate: fg.eps,
      baseline: n8n.eps,
      unit: 'executions/s',
      rssMb,
      target: '>= 50x n8n (goal, reported)',
      pass: n8n.eps > 0 ? epsRatio >= 50 : undefined,
      note: `ratio ${ratio(fg.eps, n8n.eps)}`,
    },
    {
      name: 'p50 / p99 latency',
      flowgate: `${fg.p50} / ${fg.p99} ms`,
      baseline: `${n8n.p50} / ${n8n.p99} ms`,
      target: 'Flowgate p99 < 50 ms (goal, reported)',
      pass: fg.p99 < 50,
      note: `ratio ${ratio(fg.p50, n8n.p50)} / ${ratio(fg.p99, n8n.p99)}`,
    },
    {
      name: 'API + worker as two processes (req/s, executions/s, p99)',
      flowgate: `${split.rps} req/s, ${split.eps} executions/s, ${split.p99} ms`,
      baseline: 'n/a',
      rssMb: { flowgate: split.rss, note: 'both processes' },
    },
    {
      name: 'CPU per execution over the measured window',
      flowgate: fg.cpu,
      baseline: n8n.cpu,
      unit: 'µs',
      note: `ratio ${ratio(fg.cpu, n8n.cpu)}; API + worker ${split.cpu} µs; steadier than rates on a busy machine`,
    },
    {
      name: 'executions after the drain / webhooks sent (all rounds)',
      flowgate: `${fg.drained} / ${fg.sent}`,
      baseline: `${n8n.drained} / ${n8n.sent}`,
      note: `API + worker ${split.drained} / ${split.sent}`,
    },
    {
      name: 'non-2xx answers or socket errors (measured windows, all rounds)',
      flowgate: fg.failures,
      baseline: n8n.failures,
      note: `API + worker ${split.failures}`,
    },
  ];

  const cpu = cpus();
  const extra = [
    '| figure | Flowgate (one process) | n8n | ratio |',
    '|---|---|---|---|',
    `| webhook req/s | ${fg.rps} | ${n8n.rps} | ${ratio(fg.rps, n8n.rps)} |`,
    `| end-to-end executions/s under that load | ${fg.eps} | ${n8n.eps} | ${ratio(fg.eps, n8n.eps)} |`,
    `| p50 / p99 latency | ${fg.p50} / ${fg.p99} ms | ${n8n.p50} / ${n8n.p99} ms | ${ratio(fg.p50, n8n.p50)} / ${ratio(fg.p99, n8n.p99)} |`,
    `| API + worker as two processes (req/s, exec/s, p99) | ${split.rps}, ${split.eps}, ${split.p99} ms | (n/a) | |`,
    '',
    'Raw figures, every round in the order run:',
    '',
    '| round | system | req/s | executions/s (window) | p50 ms | p99 ms | failures | executed / sent after drain | drain s | µs CPU per execution | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rounds.map(
      (m) =>
        `| ${m.round} | ${LABEL[m.system]} | ${m.rps} | ${m.executionsPerSecond} | ${m.p50} | ${m.p99} | ${m.failures} | ${m.drained} / ${m.sent} | ${m.drainSeconds} | ${m.cpuUsPerExecution} | ${m.peakRssMb} |`,
    ),
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, host \`${hostname()}\`; shared and noisy: read ratios, not absolutes. ` +
      `Flowgate on Node ${process.version} (\`${START_FLAGS.join(' ')}\`); n8n ${install.version} on Node ${install.nodeVersion} (${install.node}), installed from the npm registry in ${install.installSeconds} s.`,
  ].join('\n');

  return {
    title: 'Peers: n8n',
    method:
      `The same workflow in both systems: a webhook, then one set/transform step rendering "Hello {{name}}! Order #{{id}}" from the posted \`{"name":…,"id":…}\`. ` +
      `Load: ${CONNECTIONS} keep-alive connections, ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured (bench/lib/http-load.ts). ` +
      `n8n ${N8N_VERSION}: \`npm install\` from the registry into a temporary folder, one instance in regular mode on PostgreSQL, workflow imported and activated with its CLI, production webhook with responseMode onReceived (answers at once), Set node 3.4; executions counted as \`execution_entity\` rows with status success. ` +
      `Flowgate: one ROLE=all process (npm start's node flags), and as a second shape a ROLE=api and a ROLE=worker process; webhook then a transform step; executions counted as \`executions\` rows with status succeeded. ` +
      `Order per round: n8n, Flowgate one process, Flowgate API + worker; ${ROUNDS} rounds, each system on a fresh database (and queue prefix). ` +
      'Executions/s: rows counted at the start and end of the measured window (both systems finish executions after answering the webhook); afterwards the count is followed until every webhook sent is an execution (or it stops moving). ' +
      'Figures: best round (highest rates, lowest latencies and CPU); every round is in the raw table. Goals (reported, not asserted): Flowgate >= 50x n8n executions/s, Flowgate p99 < 50 ms. ' +
      'Rerun: `npm run bench:peers` (docs/peer-benchmark.md).',
    figures,
    extra,
  };
};

runWhenMain(module, run);
