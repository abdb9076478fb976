import { Inject, Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { JobHandlers, JobOf, JobProcessor, QueueProcessor } from '../../core/queue/job-processor';
import { missingNangoSettings } from '../nango';
import { REFRESH_BUSY_DELAY_MS, TokenRefreshService } from './token-refresh.service';

/** The sweep and cleanup schedulers are static job schedulers, declared with the others in core/queue. */
export { CLEANUP_SCHEDULER_ID, SWEEP_SCHEDULER_ID } from '../../core/queue/static-schedulers';

/**
 * Sweep, per-company refresh and cleanup jobs. The schedulers are BullMQ job schedulers
 * (one tick across any number of replicas). TOKEN_REFRESH_CONCURRENCY bounds refreshes both
 * per worker and, through BullMQ's global concurrency, across all workers.
 */
@QueueProcessor('tokenRefresh')
export class TokenRefreshProcessor extends JobProcessor<'tokenRefresh'> {
  private readonly logger = new Logger(TokenRefreshProcessor.name);

  protected readonly handlers: JobHandlers<'tokenRefresh'> = {
    sweep: () => this.sweep(),
    refresh: (job, token) => this.refresh(job, token),
    cleanup: () => this.refresher.cleanup(),
  };

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly refresher: TokenRefreshService,
  ) {
    super();
  }

  protected concurrency(): number {
    return this.config.marketplace.refreshConcurrency;
  }

  /** Jobs left in the queue from when Nango was configured are dropped while it is not. */
  override process(job: Job, token?: string): Promise<unknown> {
    if (missingNangoSettings(this.config, ['api']).length) return Promise.resolve({ skipped: 'Nango is not configured' });
    return super.process(job, token);
  }

  private async sweep(): Promise<unknown> {
    const r = await this.refresher.enqueueDue();
    if (r.enqueued) this.logger.log(`Token sweep: ${r.enqueued} refresh job(s) enqueued (${r.alreadyQueued} already queued this hour)`);
    return r;
  }

  private async refresh(job: JobOf<'tokenRefresh', 'refresh'>, token?: string): Promise<unknown> {
    const outcome = await this.refresher.refresh(job.data.tenantId, job.data.companyId, job.data.force ?? false);
    if (outcome === 'busy') {
      // Another job is refreshing this company: run after it, without spending an attempt.
      await job.moveToDelayed(Date.now() + REFRESH_BUSY_DELAY_MS, token);
      throw new DelayedError();
    }
    return { outcome };
  }
}
