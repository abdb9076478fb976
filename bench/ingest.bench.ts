import { benchEnv, round } from './lib/bench-env';
import { createBenchWorkflow, registerBenchTenant } from './lib/flowgate-api';
import { jsonPost, LoadResult, runLoad } from './lib/http-load';
import { benchSecrets, startFlowgate, startScript } from './lib/processes';
import { deleteKeys } from './lib/redis-keys';
import { START_FLAGS } from './lib/node-runtime';
import { BenchRun, runWhenMain } from './lib/types';

const CONNECTIONS = Number(process.env.INGEST_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.INGEST_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.INGEST_WARMUP_SECONDS ?? 3);
const ROUNDS = Number(process.env.INGEST_ROUNDS ?? 2);

/** ~100 bytes of JSON, a typical small webhook event. */
const PAYLOAD = JSON.stringify({
  event: 'order.created',
  order: { id: 'ord_000123', total: 42.5, currency: 'EUR' },
  user: { name: 'Alex' },
});

/**
 * Webhook ingest: Flowgate's POST /api/webhooks/:id (ROLE=api process: cached workflow lookup,
 * tenant rate limit in Redis, BullMQ add, 202 after Redis has the job) against a bare node:http
 * server doing one BullMQ add per request. Same machine, same Redis, same load generator,
 * rounds interleaved (baseline, Flowgate, baseline, Flowgate...); the best round of each counts.
 */
export const run: BenchRun = async () => {
  const env = await benchEnv('ingest');
  const secrets = benchSecrets();
  const results: { flowgate: LoadResult[]; baseline: LoadResult[]; ceiling: LoadResult[] } = { flowgate: [], baseline: [], ceiling: [] };
  // Peak RSS (VmHWM) of each process, read right after its load: Flowgate after ingest, and again after the /health/live run.
  const peaks = { flowgate: [] as number[], baseline: [] as number[], ceiling: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const basePrefix = `${env.prefix}-base${round}`;
      const baseline = await startScript('baseline-ingest-server.js', { REDIS_URL: env.redisUrl, QUEUE_PREFIX: basePrefix });
      try {
        results.baseline.push(
          await runLoad({
            port: baseline.port,
            connections: CONNECTIONS,
            durationMs: SECONDS * 1000,
            warmupMs: WARMUP_SECONDS * 1000,
            request: () => jsonPost('/ingest', PAYLOAD),
          }),
        );
        peaks.baseline.push(baseline.peakRssMb());
      } finally {
        await baseline.stop();
        await deleteKeys(env.redisUrl, basePrefix);
      }

      const fgPrefix = `${env.prefix}-fg${round}`;
      const flowgate = await startFlowgate({
        ROLE: 'api',
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        QUEUE_PREFIX: fgPrefix,
        ...secrets,
      });
      try {
        const token = await registerBenchTenant(flowgate.url, 'ingest');
        const workflowId = await createBenchWorkflow(flowgate.url, token, {
          name: 'ingest bench',
          trigger: { type: 'webhook' },
          steps: [{ name: 'shape', type: 'transform', params: { orderId: '{{trigger.order.id}}' } }],
        });
        const request = jsonPost(`/api/webhooks/${workflowId}`, PAYLOAD);
        results.flowgate.push(
          await runLoad({
            port: flowgate.port,
            connections: CONNECTIONS,
            durationMs: SECONDS * 1000,
            warmupMs: WARMUP_SECONDS * 1000,
            request: () => request,
          }),
        );
        peaks.flowgate.push(flowgate.peakRssMb());
        // Context: the same process answering a route that does nothing (GET /health/live):
        // what Flowgate's HTTP stack (Fastify, Nest, request logging, helmet, guards, metrics) costs alone.
        const live = Buffer.from('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
        results.ceiling.push(
          await runLoad({
            port: flowgate.port,
            connections: CONNECTIONS,
            durationMs: (SECONDS * 1000) / 2,
            warmupMs: 1000,
            request: () => live,
          }),
        );
        peaks.ceiling.push(flowgate.peakRssMb());
      } finally {
        await flowgate.stop();
        await deleteKeys(env.redisUrl, fgPrefix);
      }
    }
  } finally {
    await env.cleanup();
  }

  const best = (rs: LoadResult[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const fg = best(results.flowgate);
  const base = best(results.baseline);
  const ratio = fg.rps / base.rps;
  const allRounds = (rs: LoadResult[]) => rs.map((r) => r.rps).join(', ');
  const rssMb = { flowgate: Math.max(...peaks.flowgate), baseline: Math.max(...peaks.baseline) };
  return {
    title: 'Webhook ingest',
    method:
      `${CONNECTIONS} keep-alive connections, one request in flight each, ${Buffer.byteLength(PAYLOAD)}-byte JSON body, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s measured, ${ROUNDS} interleaved rounds (best counts). ` +
      `Flowgate: \`node ${START_FLAGS.join(' ')} dist/src/main.js\` (npm start's flags) with ROLE=api, LOG_LEVEL=warn, ` +
      'one active webhook workflow (no signature), every request answered 202 only after its BullMQ job is stored. ' +
      'Baseline: a bare `node:http` server (plain `node`, no flags) doing one BullMQ `add` per request (bench/lib/baseline-ingest-server.ts). Load generator: raw keep-alive sockets in the benchmark process (bench/lib/http-load.ts). No worker runs during the measurement.',
    figures: [
      {
        name: 'requests/s',
        flowgate: fg.rps,
        baseline: base.rps,
        unit: 'req/s',
        target: '>= 0.6x baseline',
        pass: ratio >= 0.6,
        rssMb,
        note: `rounds: Flowgate ${allRounds(results.flowgate)}; baseline ${allRounds(results.baseline)}; peak RSS Flowgate ${peaks.flowgate.join(', ')} MB, baseline ${peaks.baseline.join(', ')} MB`,
      },
      { name: 'ratio to baseline', flowgate: round(ratio, 2), target: '>= 0.6', pass: ratio >= 0.6 },
      {
        name: 'HTTP stack alone: GET /health/live on the same process',
        flowgate: best(results.ceiling).rps,
        baseline: base.rps,
        unit: 'req/s',
        rssMb: { flowgate: Math.max(...peaks.ceiling), baseline: rssMb.baseline },
        note: `ratio ${round(best(results.ceiling).rps / base.rps, 2)}: the ceiling of any route before it does any work`,
      },
      { name: 'latency p50', flowgate: fg.latencyMs.p50, baseline: base.latencyMs.p50, unit: 'ms', rssMb },
      {
        name: 'latency p99',
        flowgate: fg.latencyMs.p99,
        baseline: base.latencyMs.p99,
        unit: 'ms',
        target: '< 25 ms',
        pass: fg.latencyMs.p99 < 25,
        rssMb,
      },
      {
        name: 'non-2xx answers (all rounds)',
        flowgate: results.flowgate.reduce((n, r) => n + r.non2xx + r.errors, 0),
        baseline: results.baseline.reduce((n, r) => n + r.non2xx + r.errors, 0),
        target: '0',
        pass: results.flowgate.every((r) => r.non2xx === 0 && r.errors === 0),
      },
    ],
  };
};

runWhenMain(module, run);
