import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { ConfigError, loadConfig } from './core/config/load-config';
import { runMigrations } from './core/database/migrate';
import { DatabaseStartError, waitForDatabase } from './core/database/wait-for-database';
import { DependencyChecksService } from './core/health/dependency-checks.service';
import { shutdownOnSignals } from './core/http-server/graceful-shutdown';
import { startWorkerProbeServer } from './core/http-server/worker-probe-server';
import {
  createBootstrapLogger,
  logProcessEvents,
  logSettingsFromConfig,
  NestPinoLogger,
  startupLog,
} from './core/logging/bootstrap-logger';
import { MetricsService } from './core/metrics/metrics.service';
import { createFlowgateApp } from './flowgate-app';

/**
 * Every line this process writes is one JSON line (pino: level, time, service, role, msg):
 * from the environment until the configuration is read, then from the configuration.
 */
let log = createBootstrapLogger();
logProcessEvents(() => log);

/** ROLE=all (default): API and workers in one process. ROLE=api: HTTP only. ROLE=worker: jobs only. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      log.fatal({ problems: e.problems }, `Flowgate cannot start: invalid configuration: ${e.problems.join('; ')}`);
      process.exit(1);
    }
    throw e;
  }
  log = createBootstrapLogger(logSettingsFromConfig(config));
  // Nest's own lines (and a module failing to start) as JSON, never its coloured console text.
  const nestLogger = new NestPinoLogger(log);
  NestLogger.overrideLogger(nestLogger);
  for (const w of config.warnings) log.warn(w);
  const shutdown = shutdownOnSignals(log, config.shutdownTimeoutMs + SHUTDOWN_GRACE_MS);

  // PostgreSQL may start after us: wait for it (bounded backoff), creating the database if DATABASE_CREATE allows.
  await waitForDatabase(config.database, startupLog(log)).catch(exitOnDatabaseStartError);

  if (config.database.runMigrations) {
    await runMigrations(config.database.url, startupLog(log));
  }

  if (config.role === 'worker') {
    const ctx = await NestFactory.createApplicationContext(AppModule.register(config), {
      logger: nestLogger,
      bufferLogs: true,
      abortOnError: false, // a failing start is logged (fatal) and exits 1 below
    });
    shutdown.manage(ctx);
    ctx.useLogger(ctx.get(Logger));
    await ctx.init();
    const probes = await startWorkerProbeServer(config, ctx.get(DependencyChecksService), ctx.get(MetricsService), log);
    shutdown.manage(ctx, () => probes.close());
    log.info({ port: config.workerPort }, `Flowgate worker running; probes on :${config.workerPort}`);
    return;
  }

  const app = await createFlowgateApp(config);
  shutdown.manage(app);
  await app.listen(config.port, config.host);
  log.info(
    { port: config.port },
    `Flowgate ${config.role === 'all' ? 'API and worker' : 'API'} listening on :${config.port}${config.swaggerEnabled ? '; Swagger UI at /docs' : ''}`,
  );
}

/** A database that cannot be used is a start-up failure like a bad setting: a clear message, no stack. */
function exitOnDatabaseStartError(e: unknown): never {
  if (!(e instanceof DatabaseStartError)) throw e;
  log.fatal(`Flowgate cannot start: ${e.message}`);
  process.exit(1);
}

/** Past the job drain (SHUTDOWN_TIMEOUT_MS), what closing connections and pools may take. */
const SHUTDOWN_GRACE_MS = 15_000;

main().catch((err) => {
  log.fatal({ err }, `Flowgate failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
