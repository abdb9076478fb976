import { WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { bullRedisAway } from './redis-away';

/**
 * Base for every processor. Processors are declared with `autorun: false` so that an
 * `api`-only replica never takes jobs; a `worker` or `all` process starts them here with the
 * configured concurrency. At shutdown it closes the worker before Nest's own close does.
 */
export abstract class RoleAwareWorkerHost extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected abstract readonly config: AppConfig;
  protected abstract concurrency(): number;

  private lastErrorLog = 0;

  onApplicationBootstrap(): void {
    // Connection errors while Redis is away are reported by readiness; log them at most every 10 s.
    const logger = new Logger(this.constructor.name);
    this.worker.on('error', (err: Error) => {
      if (Date.now() - this.lastErrorLog < 10_000) return;
      this.lastErrorLog = Date.now();
      logger.warn({ err }, 'Queue worker error');
    });
    if (this.config.role === 'api') return;
    this.worker.concurrency = this.concurrency();
    void this.worker.run().catch(() => undefined);
  }

  /**
   * A graceful close lets running jobs finish. With this worker's Redis connection down it
   * could never finish (BullMQ waits for commands that are only re-sent once Redis is back),
   * and nothing a running job does could be saved anyway: close at once instead; the jobs'
   * locks expire and a live worker takes them over (stalled-job recovery).
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (await bullRedisAway(this.worker.getBackend().client)) return this.worker.close(true);
    await this.drain(this.worker.close());
  }

  /** Waits for the graceful close; processors with long jobs bound it. */
  protected async drain(closing: Promise<void>): Promise<void> {
    await closing;
  }
}
