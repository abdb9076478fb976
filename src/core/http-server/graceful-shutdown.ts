import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export interface GracefulShutdown {
  /** From now on a signal closes this app; `beforeClose` runs first (e.g. the worker's probe server). */
  manage(app: INestApplicationContext, beforeClose?: () => unknown): void;
}

/**
 * Takes the place of Nest's enableShutdownHooks so that both ends of a stop are logged. Installed
 * as soon as the configuration is read: on SIGTERM/SIGINT it logs the signal, closes the app
 * once there is one (Nest's destroy and shutdown hooks: jobs drain, connections close), logs
 * "shutdown complete" with its duration, then re-raises the signal as Nest does.
 *
 * Should any close never finish (a library waiting on a connection that will not answer), the
 * process still goes after `limitMs`: a replica stuck half-stopped holds its port and its
 * orchestrator's rollout. A second signal during the stop is ignored.
 */
export function shutdownOnSignals(log: Logger, limitMs: number): GracefulShutdown {
  let app: INestApplicationContext | undefined;
  let beforeClose: (() => unknown) | undefined;
  let stopping = false;

  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    log.info({ signal }, `${signal} received: shutting down`);
    setTimeout(() => {
      log.error({ signal, limitMs }, `Shutdown did not finish within ${limitMs} ms of ${signal}: exiting`);
      process.exit(1);
    }, limitMs).unref();
    try {
      await beforeClose?.();
      await app?.close();
    } catch (err) {
      log.error({ err, signal }, 'Shutdown failed');
      process.exit(1);
    }
    log.info({ signal, durationMs: Math.round(performance.now() - started) }, 'shutdown complete');
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  return {
    manage(managed, before) {
      app = managed;
      beforeClose = before;
    },
  };
}
