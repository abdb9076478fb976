import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, round } from './lib/bench-env';
import { createBenchWorkflow, registerBenchTenant } from './lib/flowgate-api';
import { jsonPost, LoadResult, runLoad } from './lib/http-load';
import { cpuSeconds, START_FLAGS } from './lib/node-runtime';
import { benchSecrets, Child, startFlowgate, startScript } from './lib/processes';
import { deleteKeys } from './lib/redis-keys';
import { BenchRun, runWhenMain } from './lib/types';

const CONNECTIONS = Number(process.env.HTTP_STACK_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.HTTP_STACK_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.HTTP_STACK_WARMUP_SECONDS ?? 2);
const ROUNDS = Number(process.env.HTTP_STACK_ROUNDS ?? 2);
/** 0 skips the CPU profile of Flowgate (the layers are measured either way). */
const PROFILE = process.env.HTTP_STACK_PROFILE !== '0';

const PAYLOAD = JSON.stringify({
  event: 'order.created',
  order: { id: 'ord_000123', total: 42.5, currency: 'EUR' },
  user: { name: 'Alex' },
});
const LIVE = Buffer.from('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');

type Layer = 'node' | 'fastify' | 'stack' | 'stack-fastify-helmet' | 'flowgate';
const LAYERS: Array<{ layer: Layer; label: string }> = [
  { layer: 'node', label: 'bare node:http' },
  { layer: 'fastify', label: 'bare Fastify (no plugin, no hook)' },
  { layer: 'stack-fastify-helmet', label: 'Fastify + Flowgate plugins/hooks, @fastify/helmet' },
  { layer: 'stack', label: 'Fastify + Flowgate plugins/hooks (precomputed headers)' },
  { layer: 'flowgate', label: 'Flowgate ROLE=api (Nest, guards, filter, pipes)' },
];
type Route = 'live' | 'webhook';

interface Measured extends LoadResult {
  /** Process CPU (user + system) over the measured window ÷ requests, µs. */
  cpuUsPerRequest: number;
}

/** Loads one route and reads the server's CPU time over the measured window (after the warm-up). */
async function measure(server: Child, request: Buffer, profile?: ProfileWindow): Promise<Measured> {
  await runLoad({ port: server.port, connections: CONNECTIONS, durationMs: WARMUP_SECONDS * 1000, request: () => request });
  const pid = server.proc.pid!;
  const cpu0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  const r = await runLoad({ port: server.port, connections: CONNECTIONS, durationMs: SECONDS * 1000, request: () => request });
  const cpu1 = cpuSeconds(pid);
  if (profile) profile.windows.push([Number(t0 / 1000n), Number(process.hrtime.bigint() / 1000n)]);
  return { ...r, cpuUsPerRequest: Math.round(((cpu1 - cpu0) * 1e6) / Math.max(1, r.requests)) };
}

/** The measured windows of a Flowgate process run with --cpu-prof (monotonic µs, the profile's clock). */
interface ProfileWindow {
  dir: string;
  windows: Array<[number, number]>;
}

async function startLayer(layer: Layer, env: Awaited<ReturnType<typeof benchEnv>>, prefix: string, profile?: ProfileWindow) {
  if (layer !== 'flowgate') {
    return {
      child: await startScript('bare-fastify-server.js', { MODE: layer, REDIS_URL: env.redisUrl, QUEUE_PREFIX: prefix }),
      webhook: '/api/webhooks/x',
    };
  }
  const flags = profile ? [...START_FLAGS, '--cpu-prof', `--cpu-prof-dir=${profile.dir}`, '--cpu-prof-interval=250'] : START_FLAGS;
  const child = await startFlowgate(
    { ROLE: 'api', DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: prefix, ...benchSecrets() },
    { nodeFlags: flags },
  );
  const token = await registerBenchTenant(child.url, 'http-stack');
  const workflowId = await createBenchWorkflow(child.url, token, {
    name: 'http stack bench',
    trigger: { type: 'webhook' },
    steps: [{ name: 'shape', type: 'transform', params: { orderId: '{{trigger.order.id}}' } }],
  });
  return { child, webhook: `/api/webhooks/${workflowId}` };
}

/**
 * Where a sample's time goes, by the script its function comes from. First match wins; the
 * order puts a library before the broader groups that would contain it.
 */
const CATEGORIES: Array<[string, RegExp]> = [
  [
    'logger: pino, pino-http, nestjs-pino',
    /node_modules\/(pino|pino-http|pino-std-serializers|nestjs-pino|sonic-boom|fast-redact|quick-format-unescaped|safe-stable-stringify)\//,
  ],
  ['logger: Flowgate redaction, serializers, access log', /dist\/src\/core\/(logging|secrets)\//],
  ['Nest middleware (middie)', /node_modules\/(@fastify\/middie|path-to-regexp)\/|@nestjs\/core\/middleware\//],
  ['helmet', /node_modules\/(@fastify\/helmet|helmet)\//],
  ['cors', /node_modules\/@fastify\/cors\//],
  ['metrics (prom-client)', /node_modules\/prom-client\/|dist\/src\/core\/metrics\//],
  [
    'Nest router, guards, pipes, interceptors',
    /node_modules\/(@nestjs|rxjs|passport|class-validator|class-transformer|reflect-metadata)\//,
  ],
  ['Flowgate hooks (request id, depth guard, headers)', /dist\/src\/core\/http-server\//],
  [
    'Fastify core (router, hooks, reply, JSON parse/serialize)',
    /node_modules\/(fastify|find-my-way|fast-json-stringify|secure-json-parse|fastq|toad-cache|avvio|@fastify\/[^/]+)\//,
  ],
  ['ioredis / BullMQ', /node_modules\/(ioredis|bullmq|msgpackr|redis-parser|cluster-key-slot|denque|standard-as-callback)\//],
  ['Flowgate app code (webhook, executions, cache)', /dist\/src\//],
  ['node:http', /^node:_http|^node:http/],
  ['node: net, streams, events', /^node:(net|stream|events|internal\/(stream|streams|net|stream_base_commons))/],
  [
    'node: AsyncLocalStorage, timers, microtasks',
    /^node:(async_hooks|timers|internal\/(async_hooks|async_local_storage|async_context_frame|timers|process\/task_queues))/,
  ],
  ['node: other', /^node:/],
  ['other modules', /node_modules\//],
];

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per category over the measured windows only (start-up and warm-up left out), % of busy time. */
function summarizeProfile(profile: ProfileWindow): Array<[string, number]> | undefined {
  if (!existsSync(profile.dir)) return undefined;
  const file = readdirSync(profile.dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return undefined;
  const p = JSON.parse(readFileSync(join(profile.dir, file), 'utf8')) as CpuProfile;
  const category = new Map<number, string>();
  for (const n of p.nodes) {
    const { url, functionName } = n.callFrame;
    let c: string;
    if (functionName === '(idle)') c = 'idle';
    else if (functionName === '(garbage collector)') c = 'GC';
    else if (functionName === '(program)') c = 'V8/native (program)';
    else if (!url && /^(write|writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString)$/.test(functionName))
      c = 'socket writes (native, the syscall)';
    else if (!url && /^(parse|stringify)$/.test(functionName)) c = 'JSON (native)';
    else if (!url) c = 'other V8 builtins and native calls';
    else c = CATEGORIES.find(([, re]) => re.test(url))?.[0] ?? 'other';
    category.set(n.id, c);
  }
  const sums = new Map<string, number>();
  let t = p.startTime;
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    if (!profile.windows.some(([a, b]) => t >= a && t <= b)) continue;
    const c = category.get(p.samples[i]) ?? 'other';
    if (c === 'idle') continue;
    const d = p.timeDeltas[i];
    sums.set(c, (sums.get(c) ?? 0) + d);
    busy += d;
  }
  if (!busy) return undefined;
  return [...sums].map(([c, v]) => [c, round((100 * v) / busy, 1)] as [string, number]).sort((a, b) => b[1] - a[1]);
}

/**
 * The HTTP stack's cost, layer by layer: bare node:http, bare Fastify, Fastify with the plugins
 * and hooks Flowgate registers (with @fastify/helmet, and with the precomputed headers Flowgate
 * uses), and Flowgate itself (ROLE=api), each on GET /health/live and on a webhook route doing
 * one BullMQ add. Req/s, p50/p99 and the server's CPU µs per request (steadier than req/s on a
 * shared machine). Rounds interleave the layers; the best req/s and the lowest CPU per request
 * count. Then a CPU profile of Flowgate under the same loads, by category.
 */
export const run: BenchRun = async () => {
  const env = await benchEnv('httpstack');
  const results = new Map<string, Measured[]>();
  const profile: ProfileWindow | undefined = PROFILE ? { dir: mkdtempSync(join(tmpdir(), 'flowgate-http-prof-')), windows: [] } : undefined;
  const key = (layer: Layer, route: Route) => `${layer}:${route}`;
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const { layer } of LAYERS) {
        const prefix = `${env.prefix}-${layer}${r}`;
        const { child, webhook } = await startLayer(layer, env, prefix);
        try {
          for (const route of ['live', 'webhook'] as Route[]) {
            const m = await measure(child, route === 'live' ? LIVE : jsonPost(webhook, PAYLOAD));
            results.set(key(layer, route), [...(results.get(key(layer, route)) ?? []), m]);
          }
        } finally {
          await child.stop();
          await deleteKeys(env.redisUrl, prefix);
        }
      }
    }
    if (profile) {
      // One more Flowgate run under the profiler (which slows it: its figures are not counted).
      const prefix = `${env.prefix}-prof`;
      const { child, webhook } = await startLayer('flowgate', env, prefix, profile);
      try {
        await measure(child, LIVE, profile);
        await measure(child, jsonPost(webhook, PAYLOAD), profile);
      } finally {
        await child.stop();
        await deleteKeys(env.redisUrl, prefix);
      }
    }
  } finally {
    await env.cleanup();
  }
  const shares = profile ? summarizeProfile(profile) : undefined;
  if (profile) rmSync(profile.dir, { recursive: true, force: true });

  const best = (layer: Layer, route: Route) => {
    const rs = results.get(key(layer, route)) ?? [];
    if (!rs.length) throw new Error(`no measurement for ${layer} ${route}`);
    const fastest = rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    return { ...fastest, cpuUsPerRequest: Math.min(...rs.map((x) => x.cpuUsPerRequest)), rounds: rs };
  };
  const figures = (['live', 'webhook'] as Route[]).flatMap((route) => {
    const fg = best('flowgate', route);
    const node = best('node', route);
    const name = route === 'live' ? 'GET /health/live' : 'POST webhook (one BullMQ add)';
    return [
      {
        name: `${name}: requests/s`,
        flowgate: fg.rps,
        baseline: node.rps,
        unit: 'req/s',
        note: `baseline: bare node:http; ratio ${round(fg.rps / node.rps, 2)}; rounds Flowgate ${fg.rounds.map((x) => x.rps).join(', ')}, node ${node.rounds.map((x) => x.rps).join(', ')}`,
      },
      {
        name: `${name}: server CPU per request`,
        flowgate: fg.cpuUsPerRequest,
        baseline: node.cpuUsPerRequest,
        unit: 'µs',
        note: `ratio ${round(fg.cpuUsPerRequest / node.cpuUsPerRequest, 2)}`,
      },
      { name: `${name}: latency p99`, flowgate: fg.latencyMs.p99, baseline: node.latencyMs.p99, unit: 'ms' },
      {
        name: `${name}: non-2xx answers`,
        flowgate: fg.rounds.reduce((n, x) => n + x.non2xx + x.errors, 0),
        target: '0',
        pass: fg.rounds.every((x) => x.non2xx === 0 && x.errors === 0),
      },
    ];
  });

  const lines = [
    '**Layers** (each row adds to the one above; "step" is the CPU per request it adds):',
    '',
    '| layer | route | req/s | p50 ms | p99 ms | CPU µs/req | step µs/req |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const route of ['live', 'webhook'] as Route[]) {
    let previous: number | undefined;
    for (const { layer, label } of LAYERS) {
      const m = best(layer, route);
      const step = previous === undefined ? '' : String(m.cpuUsPerRequest - previous);
      // The @fastify/helmet row is an alternative to the next one, not a layer under it.
      if (layer !== 'stack-fastify-helmet') previous = m.cpuUsPerRequest;
      lines.push(
        `| ${label} | ${route === 'live' ? 'GET /health/live' : 'POST webhook'} | ${m.rps} | ${m.latencyMs.p50} | ${m.latencyMs.p99} | ${m.cpuUsPerRequest} | ${step} |`,
      );
    }
  }
  if (shares) {
    lines.push(
      '',
      `**Where Flowgate's CPU goes** (self time by category, % of busy time; \`--cpu-prof --cpu-prof-interval=250\` on one more Flowgate run after the rounds (its req/s not counted), samples inside the measured windows of both routes only; method and reading in docs/http-stack-profile.md):`,
      '',
      '| category | % of CPU |',
      '|---|---|',
      ...shares.map(([c, v]) => `| ${c} | ${v} |`),
    );
  }
  return {
    title: 'HTTP stack layers',
    method:
      `${CONNECTIONS} keep-alive connections, one request in flight each, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s measured per route, ${ROUNDS} interleaved rounds over the layers (best req/s, lowest CPU per request count). ` +
      'Layers: bare node:http, bare Fastify, Fastify with the plugins and hooks Flowgate registers built from the same modules (bench/lib/bare-fastify-server.ts), and Flowgate ' +
      `(\`node ${START_FLAGS.join(' ')} dist/src/main.js\`, ROLE=api, LOG_LEVEL=warn). Routes: GET /health/live and a webhook route whose handler does one BullMQ add (Flowgate: the real POST /api/webhooks/:id with its workflow lookup and rate limit; ${Buffer.byteLength(PAYLOAD)}-byte JSON). ` +
      "CPU per request: the server process's user + system time from /proc/<pid>/stat over the measured window ÷ requests.",
    figures,
    extra: lines.join('\n'),
  };
};

runWhenMain(module, run);
