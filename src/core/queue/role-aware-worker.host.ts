import { WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/**
 * Base for every processor. Processors are declared with `autorun: false` so that an
 * `api`-only replica never takes jobs; a `worker` or `all` process starts them here with the
 * configured concurrency.
 */
export abstract class RoleAwareWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  protected abstract readonly config: AppConfig;
  protected abstract concurrency(): number;

  private lastErrorLog = 0;

  onApplicationBootstrap(): void {
    // Connection errors while Redis is away are reported by readiness; log them at most every 10 s.
    const logger = new Logger(this.constructor.name);
    this.worker.on('error', (err: Error) => {
      if (Date.now() - this.lastErrorLog < 10_000) return;
      this.lastErrorLog = Date.now();
      logger.warn(`Queue worker error: ${err?.message}`);
    });
    if (this.config.role === 'api') return;
    this.worker.concurrency = this.concurrency();
    void this.worker.run().catch(() => undefined);
  }
}
