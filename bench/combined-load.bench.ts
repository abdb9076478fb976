import { join } from 'node:path';
import { Client } from 'pg';
import { benchEnv } from './lib/bench-env';
import { createBenchWorkflow, registerBenchTenant, sinkWorkflow } from './lib/flowgate-api';
import { jsonPost, runLoad } from './lib/http-load';
import { cpuSeconds, findNode, nodeVersion, START_FLAGS } from './lib/node-runtime';
import { benchSecrets, Child, freePort, startFlowgate } from './lib/processes';
import { deleteKeys } from './lib/redis-keys';
import { startSink } from './lib/sink';
import { BenchFigure, BenchRun, runWhenMain } from './lib/types';

const CONNECTIONS = Number(process.env.COMBINED_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.COMBINED_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.COMBINED_WARMUP_SECONDS ?? 5);
const ROUNDS = Number(process.env.COMBINED_ROUNDS ?? 2);
/** More Node 24 flag sets to measure beside the others, `;` between sets (tuning aid), e.g. `--max-semi-space-size=8;--max-semi-space-size=32`. */
const EXTRA_FLAG_SETS = (process.env.COMBINED_EXTRA_FLAGS ?? '')
  .split(';')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((s) => s.split(/\s+/));

const SAMPLER = join(__dirname, 'lib', 'memory-sampler.js');

interface Runtime {
  label: string;
  node: string;
  flags: string[];
}

interface Sampled {
  peakMb: Record<string, number>;
  heapSizeLimitMb: number;
  gc: { scavenges: number; markCompacts: number; pauseMs: number };
}

interface Measurement {
  rps: number;
  executionsPerSecond: number;
  /** Process CPU over the measured seconds per accepted webhook (its share of execution work included): steadier than rates on a busy machine. */
  cpuUsPerRequest: number;
  peakRssMb: number;
  failures: number;
  sampled: Sampled;
}

/**
 * One run: a fresh database and queue prefix, one ROLE=all process on `rt`, a two-step workflow
 * (transform, then the http connector POSTing to a local sink), CONNECTIONS connections posting
 * webhooks for WARMUP_SECONDS + SECONDS while the in-process worker runs executions. Executions/s
 * counts succeeded rows over the measured seconds; peak RSS is the process's VmHWM at the end.
 */
async function measure(rt: Runtime, sinkUrl: string): Promise<Measurement> {
  const env = await benchEnv('combined');
  const db = new Client({ connectionString: env.databaseUrl });
  let flowgate: Child | undefined;
  try {
    const samplerPort = await freePort();
    flowgate = await startFlowgate(
      {
        ROLE: 'all',
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        QUEUE_PREFIX: env.prefix,
        OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
        MEMORY_SAMPLER_PORT: String(samplerPort),
        ...benchSecrets(),
      },
      { node: rt.node, nodeFlags: [...rt.flags, '--require', SAMPLER] },
    );
    const token = await registerBenchTenant(flowgate.url, 'combined');
    const workflowId = await createBenchWorkflow(flowgate.url, token, sinkWorkflow('combined bench', sinkUrl));
    await db.connect();
    const pid = flowgate.proc.pid!;
    const succeeded = async () => ({
      n: (await db.query(`SELECT count(*)::int AS n FROM executions WHERE status = 'succeeded'`)).rows[0].n as number,
      t: performance.now(),
      cpu: cpuSeconds(pid),
    });
    let from: Promise<{ n: number; t: number; cpu: number }> | undefined;
    const mark = setTimeout(() => (from = succeeded()), WARMUP_SECONDS * 1000);
    let n = 0;
    const load = await runLoad({
      port: flowgate.port,
      connections: CONNECTIONS,
      durationMs: SECONDS * 1000,
      warmupMs: WARMUP_SECONDS * 1000,
      request: () => jsonPost(`/api/webhooks/${workflowId}`, JSON.stringify({ order: { id: `ord_${n++}` }, user: { name: 'Alex' } })),
    });
    clearTimeout(mark);
    const to = await succeeded();
    const start = await from!;
    const sampled = (await (await fetch(`http://127.0.0.1:${samplerPort}/`)).json()) as Sampled;
    return {
      rps: load.rps,
      executionsPerSecond: Math.round((to.n - start.n) / ((to.t - start.t) / 1000)),
      cpuUsPerRequest: Math.round(((to.cpu - start.cpu) * 1e6) / load.requests),
      peakRssMb: flowgate.peakRssMb(),
      failures: load.non2xx + load.errors,
      sampled,
    };
  } finally {
    await flowgate?.stop();
    await db.end().catch(() => undefined);
    await deleteKeys(env.redisUrl, env.prefix);
    await env.cleanup();
  }
}

const flagText = (flags: string[]) => (flags.length ? flags.join(' ') : 'no flags');

/**
 * Combined load on one ROLE=all process (webhook ingest while executions run), the same load on
 * Node 20 and on Node 24 in the same run. Node 24 runs with `npm start`'s node flags (what is
 * measured) and without them (V8's own sizing, what the flags correct); Node 20 runs as it was
 * deployed before the move, without flags. Rounds are interleaved; throughput is the best
 * round, CPU per webhook the lowest, peak RSS the highest.
 */
export const run: BenchRun = async () => {
  const node20 = findNode(20);
  const node24 = process.execPath;
  const v = process.version;
  const measured: Runtime = { label: `Node ${v} with the start flags`, node: node24, flags: START_FLAGS };
  const reference: Runtime | undefined = node20
    ? { label: `Node ${nodeVersion(node20)} without flags`, node: node20, flags: [] }
    : undefined;
  const context: Runtime[] = [
    ...(START_FLAGS.length ? [{ label: `Node ${v} without flags`, node: node24, flags: [] }] : []),
    ...EXTRA_FLAG_SETS.map((flags) => ({ label: `Node ${v}, ${flagText(flags)}`, node: node24, flags })),
  ];
  const runtimes = [...(reference ? [reference] : []), measured, ...context];
  const results = new Map<Runtime, Measurement[]>(runtimes.map((r) => [r, []]));
  const sink = await startSink();
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const rt of runtimes) {
        const m = await measure(rt, sink.url);
        results.get(rt)!.push(m);
        process.stdout.write(
          `  round ${i + 1}, ${rt.label} (${flagText(rt.flags)}): ${m.rps} req/s, ${m.executionsPerSecond} executions/s, ${m.cpuUsPerRequest} µs CPU per webhook, peak RSS ${m.peakRssMb} MB, ` +
            `new space ${m.sampled.peakMb.new_space_committed} MB, old space ${m.sampled.peakMb.old_space_committed} MB, array buffers ${m.sampled.peakMb.arrayBuffers} MB, ` +
            `${m.sampled.gc.scavenges} scavenges, ${m.sampled.gc.markCompacts} mark-compacts\n`,
        );
      }
    }
  } finally {
    sink.server.close();
  }

  const summary = (rt: Runtime) => {
    const ms = results.get(rt)!;
    const max = (f: (m: Measurement) => number) => Math.max(...ms.map(f));
    const all = (f: (m: Measurement) => number) => ms.map(f).join(', ');
    return {
      rps: max((m) => m.rps),
      executionsPerSecond: max((m) => m.executionsPerSecond),
      cpuUs: Math.min(...ms.map((m) => m.cpuUsPerRequest)),
      peakRssMb: max((m) => m.peakRssMb),
      newSpaceMb: max((m) => m.sampled.peakMb.new_space_committed),
      oldSpaceMb: max((m) => m.sampled.peakMb.old_space_committed),
      arrayBuffersMb: max((m) => m.sampled.peakMb.arrayBuffers),
      gc: all((m) => m.sampled.gc.scavenges) + ' / ' + all((m) => m.sampled.gc.markCompacts),
      failures: ms.reduce((a, m) => a + m.failures, 0),
      rounds: `req/s ${all((m) => m.rps)}; executions/s ${all((m) => m.executionsPerSecond)}; µs CPU ${all((m) => m.cpuUsPerRequest)}; peak RSS ${all((m) => m.peakRssMb)} MB`,
    };
  };
  const fg = summary(measured);
  const base = reference ? summary(reference) : undefined;
  const rssMb = { flowgate: fg.peakRssMb, baseline: base?.peakRssMb };
  const figures: BenchFigure[] = [];
  if (!base)
    figures.push({
      name: 'Node 20',
      flowgate: 'not measured: no Node 20 on this machine (BENCH_NODE20 names one)',
      target: 'Node 24 peak RSS <= Node 20 + 10%',
    });
  figures.push(
    {
      name: 'webhook requests/s',
      flowgate: fg.rps,
      baseline: base?.rps,
      unit: 'req/s',
      rssMb,
      note: `rounds: Node 24: ${fg.rounds}${base ? `; Node 20: ${base.rounds}` : ''}`,
    },
    { name: 'executions/s', flowgate: fg.executionsPerSecond, baseline: base?.executionsPerSecond, unit: 'jobs/s', rssMb },
    {
      name: 'process CPU per webhook (its execution share included)',
      flowgate: fg.cpuUs,
      baseline: base?.cpuUs,
      unit: 'µs',
      rssMb,
      note: 'steadier than rates on a busy machine',
    },
  );
  if (base) {
    const limit = Math.round(base.peakRssMb * 1.1);
    figures.push({
      name: 'peak RSS (VmHWM)',
      flowgate: fg.peakRssMb,
      baseline: base.peakRssMb,
      unit: 'MB',
      rssMb,
      target: `Node 24 <= Node 20 + 10% (${limit} MB)`,
      pass: fg.peakRssMb <= limit,
    });
  }
  figures.push(
    {
      name: 'young generation (new space) committed, peak',
      flowgate: fg.newSpaceMb,
      baseline: base?.newSpaceMb,
      unit: 'MB',
      note: 'sampled every 100 ms',
    },
    { name: 'old space committed, peak', flowgate: fg.oldSpaceMb, baseline: base?.oldSpaceMb, unit: 'MB' },
    {
      name: 'array buffers (Buffers) alive or awaiting a full GC, peak',
      flowgate: fg.arrayBuffersMb,
      baseline: base?.arrayBuffersMb,
      unit: 'MB',
    },
    { name: 'scavenges / mark-compacts per round', flowgate: fg.gc, baseline: base?.gc },
    {
      name: 'non-2xx answers or socket errors (all rounds)',
      flowgate: fg.failures,
      baseline: base?.failures,
      target: '0',
      pass: fg.failures === 0,
    },
  );
  for (const rt of context) {
    const s = summary(rt);
    figures.push({
      name: `${rt.label} (\`${flagText(rt.flags)}\`): req/s, executions/s, µs CPU per webhook, young generation / old space peak`,
      flowgate: `${s.rps}, ${s.executionsPerSecond}, ${s.cpuUs}, ${s.newSpaceMb} / ${s.oldSpaceMb} MB`,
      baseline: base ? `${base.rps}, ${base.executionsPerSecond}, ${base.cpuUs}, ${base.newSpaceMb} / ${base.oldSpaceMb} MB` : undefined,
      rssMb: { flowgate: s.peakRssMb, baseline: base?.peakRssMb },
      note: `rounds: ${s.rounds}`,
    });
  }
  return {
    title: 'Combined load: Node 24 against Node 20',
    method:
      `One \`ROLE=all\` process (API and worker, EXECUTION_CONCURRENCY default 50) under ${CONNECTIONS} keep-alive connections posting webhooks (${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured) while its worker runs the executions: transform, then the http connector POSTing to a local sink. ` +
      `Fresh database and queue prefix per run; ${ROUNDS} interleaved rounds; throughput is the best round, CPU per webhook the lowest, peak RSS the highest. Executions/s: succeeded rows over the measured seconds (ingest outpaces execution, so the queue grows). ` +
      `Flowgate column: ${measured.label} (\`${flagText(START_FLAGS)}\`, read from package.json \`start:prod\`); baseline column: ${reference ? reference.label : 'Node 20 (absent)'}, as production ran before the move to Node 24. ` +
      'Peak RSS is the kernel high-water mark (VmHWM); heap spaces and GC counts come from a preloaded sampler (bench/lib/memory-sampler.ts). Standalone: `npm run build && node dist/bench/combined-load.bench.js`; COMBINED_EXTRA_FLAGS="<flags>;<flags>" adds Node 24 flag sets.',
    figures,
  };
};

runWhenMain(module, run);
