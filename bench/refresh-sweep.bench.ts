import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/core/config/load-config';
import { QueueService } from '../src/core/queue/queue.module';
import { NangoFake, startNangoFake } from '../test/fakes/nango';
import { benchEnv, round } from './lib/bench-env';
import { peakRssMb, resetOwnPeakRss } from './lib/node-runtime';
import { BenchRun, runWhenMain } from './lib/types';

const COMPANIES = Number(process.env.BENCH_REFRESH_COMPANIES ?? 10_000);
const LATENCY_MS = Number(process.env.BENCH_REFRESH_LATENCY_MS ?? 20);
const CONCURRENCIES = (process.env.BENCH_REFRESH_CONCURRENCY ?? '10,50').split(',').map(Number);

interface RunResult {
  concurrency: number;
  wallMs: number;
  enqueueMs: number;
  peak: number;
  refreshed: number;
  exactlyOnce: boolean;
  forcedCalls: number;
  /** Peak RSS of this process (Flowgate's context and the Nango fake run in it) during the run, MB. */
  peakRssMb: number;
  /** This process's RSS when the run started (left by the seeding and any earlier benchmark), MB. */
  startRssMb: number;
}

/** Seeds one tenant with COMPANIES companies whose tokens expire within the window. */
async function seed(ds: DataSource, nango: NangoFake): Promise<void> {
  const [tenant] = await ds.query(
    `INSERT INTO tenants (name, slug) VALUES ('Bench marketplace', 'bench-marketplace-' || floor(random() * 1e9)::text) RETURNING id`,
  );
  const ids = Array.from({ length: COMPANIES }, (_, i) => `bench-${i}`);
  for (const cid of ids) nango.addConnection({ connectionId: cid, providerConfigKey: 'hubspot' });
  for (let i = 0; i < ids.length; i += 1000) {
    await ds.query(
      `INSERT INTO companies (tenant_id, connection_id, provider_config_key, provider, token_expires_at)
       SELECT $1, cid, 'hubspot', 'hubspot', now() + interval '30 minutes' FROM unnest($2::text[]) AS cid`,
      [tenant.id, ids.slice(i, i + 1000)],
    );
  }
}

async function runOnce(env: Awaited<ReturnType<typeof benchEnv>>, nango: NangoFake, concurrency: number): Promise<RunResult> {
  const startRssMb = resetOwnPeakRss();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test', // generated in-memory secrets; nothing written to disk
    LOG_LEVEL: 'warn',
    ROLE: 'all',
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: `${env.prefix}-c${concurrency}`,
    RUN_MIGRATIONS: 'false',
    NANGO_HOST: nango.url,
    NANGO_SECRET_KEY: nango.secretKey,
    NANGO_WEBHOOK_SECRET: nango.webhookSecret,
    TOKEN_REFRESH_CONCURRENCY: String(concurrency),
    TOKEN_REFRESH_SCHEDULE: 'false',
  });
  const ctx: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: ['error', 'warn'],
  });
  await ctx.init();
  try {
    const ds = ctx.get(DataSource);
    const queues = ctx.get(QueueService);
    await ds.query(
      `UPDATE companies SET last_refresh_at = NULL, last_refresh_status = NULL, last_refresh_error = NULL, refresh_failures = 0`,
    );
    for (const c of nango.connections.values()) c.forcedRefreshes = 0;
    nango.resetStats();
    await queues.queue('tokenRefresh').setGlobalConcurrency(concurrency);

    const started = performance.now();
    const sweep = await queues.add('tokenRefresh', 'sweep', {});
    for (let polls = 0; ; polls++) {
      if (polls % 20 === 0) {
        const j = await queues.queue('tokenRefresh').getJob(sweep.id!);
        if (j?.failedReason) throw new Error(`sweep failed: ${j.failedReason}`);
      }
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM companies WHERE last_refresh_status IS NOT NULL`);
      if (n >= COMPANIES) break;
      if (performance.now() - started > 20 * 60_000) throw new Error(`only ${n} of ${COMPANIES} refreshed after 20 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const wallMs = performance.now() - started;
    const job = await queues.queue('tokenRefresh').getJob(sweep.id!);
    const [{ ok }] = await ds.query(`SELECT count(*)::int AS ok FROM companies WHERE last_refresh_status = 'succeeded'`);
    const counts = [...nango.connections.values()].map((c) => c.forcedRefreshes);
    return {
      concurrency,
      wallMs,
      enqueueMs: job?.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : NaN,
      peak: nango.stats.peakRefreshInFlight,
      refreshed: ok,
      exactlyOnce: counts.every((n) => n === 1),
      forcedCalls: nango.stats.forcedRefreshes,
      peakRssMb: Number.isFinite(startRssMb) ? peakRssMb(process.pid) : NaN,
      startRssMb,
    };
  } finally {
    await ctx.close();
  }
}

/**
 * Refresh sweep of COMPANIES companies against the Nango fake answering every call after
 * LATENCY_MS: one sweep job enqueues a refresh job per company; workers force each refresh
 * through the real @nangohq/node client with TOKEN_REFRESH_CONCURRENCY as the bound.
 */
export const run: BenchRun = async () => {
  const env = await benchEnv('refresh');
  const nango = await startNangoFake({ latencyMs: LATENCY_MS });
  nango.recordRequests = false;
  nango.addIntegration('hubspot', 'hubspot');
  const results: RunResult[] = [];
  try {
    const setup = await NestFactory.createApplicationContext(
      AppModule.register(
        loadConfig({
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          DATABASE_URL: env.databaseUrl,
          REDIS_URL: env.redisUrl,
          QUEUE_PREFIX: `${env.prefix}-seed`,
          ROLE: 'api',
        }),
      ),
      { logger: ['error', 'warn'] },
    );
    try {
      await seed(setup.get(DataSource), nango);
    } finally {
      await setup.close();
    }
    for (const c of CONCURRENCIES) results.push(await runOnce(env, nango, c));
  } finally {
    await nango.close();
    await env.cleanup();
  }
  const figures = results.flatMap((r) => {
    const ideal = (COMPANIES * LATENCY_MS) / r.concurrency;
    const rssMb = { flowgate: r.peakRssMb, note: `benchmark process, ${r.startRssMb} MB at the start of the run` };
    return [
      {
        name: `sweep wall time, TOKEN_REFRESH_CONCURRENCY=${r.concurrency}`,
        flowgate: round(r.wallMs / 1000, 2),
        baseline: round(ideal / 1000, 2),
        unit: 's',
        rssMb,
        note: `baseline = ${COMPANIES} × ${LATENCY_MS} ms / ${r.concurrency}, the floor for that concurrency; sweep job enqueued all in ${round(r.enqueueMs / 1000, 2)} s`,
      },
      {
        name: `peak concurrent refreshes at the fake (bound ${r.concurrency})`,
        flowgate: r.peak,
        target: `<= ${r.concurrency}`,
        pass: r.peak <= r.concurrency,
        rssMb,
      },
      {
        name: `companies refreshed exactly once (concurrency ${r.concurrency})`,
        flowgate: `${r.refreshed} / ${COMPANIES}`,
        target: `${COMPANIES}, each once`,
        pass: r.exactlyOnce && r.refreshed === COMPANIES && r.forcedCalls === COMPANIES,
        note: `${r.forcedCalls} forced refresh calls`,
        rssMb,
      },
    ];
  });
  return {
    title: 'Token refresh sweep',
    method:
      `${COMPANIES} companies (one tenant) with tokens expiring within the window, Nango fake (test/fakes/nango/) adding ${LATENCY_MS} ms to every call. ` +
      'One `sweep` job on the token-refresh queue enqueues one refresh job per company (stable id per company and hour); the in-process worker (ROLE=all) forces each refresh through the real @nangohq/node client and records the new expiry in PostgreSQL. ' +
      'Wall time runs from adding the sweep job to the last recorded refresh. Peak concurrency and per-connection call counts are measured at the fake. ' +
      "Flowgate runs inside the benchmark process here (not spawned, so without npm start's node flags); its peak RSS is that process's, reset before each run. " +
      `Run for each TOKEN_REFRESH_CONCURRENCY in ${CONCURRENCIES.join(', ')} (BENCH_REFRESH_CONCURRENCY), each with its own queue prefix. Standalone: \`npm run build && node dist/bench/refresh-sweep.bench.js\`.`,
    figures,
  };
};

runWhenMain(module, run);
