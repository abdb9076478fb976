import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { ConfigError, loadConfig } from './core/config/load-config';
import { runMigrations } from './core/database/migrate';
import { DatabaseStartError, waitForDatabase } from './core/database/wait-for-database';
import { DependencyChecksService } from './core/health/dependency-checks.service';
import { createApp } from './core/http-server/create-app';
import { startWorkerProbeServer } from './core/http-server/worker-probe-server';
import { MetricsService } from './core/metrics/metrics.service';

/** ROLE=all (default): API and workers in one process. ROLE=api: HTTP only. ROLE=worker: jobs only. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Flowgate cannot start. ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  for (const w of config.warnings) process.stderr.write(`warning: ${w}\n`);
  exitIfShutdownHangs(config.shutdownTimeoutMs + SHUTDOWN_GRACE_MS);

  // PostgreSQL may start after us: wait for it (bounded backoff), creating the database if DATABASE_CREATE allows.
  await waitForDatabase(config.database, startupLog).catch(exitOnDatabaseStartError);

  if (config.database.runMigrations) {
    await runMigrations(config.database.url, (m) => process.stdout.write(JSON.stringify({ level: 30, msg: m }) + '\n'));
  }

  if (config.role === 'worker') {
    const ctx = await NestFactory.createApplicationContext(AppModule.register(config), { bufferLogs: true });
    ctx.useLogger(ctx.get(Logger));
    ctx.enableShutdownHooks();
    await ctx.init();
    const probes = await startWorkerProbeServer(config.workerPort, config.host, ctx.get(DependencyChecksService), ctx.get(MetricsService));
    ctx.get(Logger).log(`Flowgate worker running; probes on :${config.workerPort}`);
    process.once('SIGTERM', () => probes.close());
    process.once('SIGINT', () => probes.close());
    return;
  }

  const app = await createApp(config);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`Flowgate ${config.role === 'all' ? 'API and worker' : 'API'} listening on :${config.port}; Swagger UI at /docs`);
}

/** Lines of the PostgreSQL wait; the same JSON shape as the migration lines above. */
function startupLog(msg: string, fields?: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ level: 30, ...fields, msg }) + '\n');
}

/** A database that cannot be used is a start-up failure like a bad setting: a clear message, no stack. */
function exitOnDatabaseStartError(e: unknown): never {
  if (!(e instanceof DatabaseStartError)) throw e;
  process.stderr.write(`Flowgate cannot start. ${e.message}\n`);
  process.exit(1);
}

/** Past the job drain (SHUTDOWN_TIMEOUT_MS), what closing connections and pools may take. */
const SHUTDOWN_GRACE_MS = 15_000;

/**
 * Nest closes everything on SIGTERM/SIGINT, then exits. Should any close never finish (a
 * library waiting on a connection that will not answer), the process must still go: a
 * replica stuck half-stopped holds its port and its orchestrator's rollout.
 */
function exitIfShutdownHangs(limitMs: number): void {
  const arm = (signal: string) => () => {
    setTimeout(() => {
      process.stderr.write(`Flowgate did not finish shutting down within ${limitMs} ms of ${signal}: exiting\n`);
      process.exit(1);
    }, limitMs).unref();
  };
  process.once('SIGTERM', arm('SIGTERM'));
  process.once('SIGINT', arm('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`Flowgate failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
