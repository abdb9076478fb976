import { Processor } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { QueueService } from '../../core/queue/queue.module';
import { JobPayloads, QUEUES } from '../../core/queue/queue.registry';
import { RoleAwareWorkerHost } from '../../core/queue/role-aware-worker.host';
import { ensureJobScheduler, SchedulerKeeper } from '../../core/queue/scheduler-keeper.service';
import { missingNangoSettings } from '../nango';
import { REFRESH_BUSY_DELAY_MS, TokenRefreshService } from './token-refresh.service';

export const SWEEP_SCHEDULER_ID = 'token-refresh-sweep';
export const CLEANUP_SCHEDULER_ID = 'token-refresh-cleanup';
/** Hourly sweep at minute 0; daily cleanup at 03:30 UTC. */
const SWEEP_PATTERN = '0 * * * *';
const CLEANUP_PATTERN = '30 3 * * *';
const SCHEDULERS = [
  { id: SWEEP_SCHEDULER_ID, repeat: { pattern: SWEEP_PATTERN, tz: 'UTC' }, template: { name: 'sweep', data: {} } },
  { id: CLEANUP_SCHEDULER_ID, repeat: { pattern: CLEANUP_PATTERN, tz: 'UTC' }, template: { name: 'cleanup', data: {} } },
] as const;

type TokenJob = {
  [N in keyof JobPayloads['tokenRefresh']]: Job<JobPayloads['tokenRefresh'][N], unknown, N>;
}[keyof JobPayloads['tokenRefresh']];

/**
 * Sweep, per-company refresh and cleanup jobs. The schedulers are BullMQ job schedulers
 * (one tick across any number of replicas). TOKEN_REFRESH_CONCURRENCY bounds refreshes both
 * per worker and, through BullMQ's global concurrency, across all workers.
 */
@Processor(QUEUES.tokenRefresh, { autorun: false })
export class TokenRefreshProcessor extends RoleAwareWorkerHost {
  private readonly logger = new Logger(TokenRefreshProcessor.name);

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly refresher: TokenRefreshService,
    private readonly queues: QueueService,
    private readonly keeper: SchedulerKeeper,
  ) {
    super();
  }

  protected concurrency(): number {
    return this.config.marketplace.refreshConcurrency;
  }

  onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    if (this.config.role === 'api') return;
    void this.installSchedulers().catch((e: Error) => this.logger.warn({ err: e }, 'Token refresh schedulers not installed'));
    this.keeper.keep('token refresh', () => this.restoreSchedulers(), false);
  }

  /** After a Redis loss: the global concurrency limit and any missing scheduler come back. */
  private async restoreSchedulers(): Promise<void> {
    if (missingNangoSettings(this.config, ['api']).length) return;
    const queue = this.queues.queue('tokenRefresh');
    await queue.setGlobalConcurrency(this.config.marketplace.refreshConcurrency);
    if (!this.config.marketplace.refreshSchedulesEnabled) return;
    for (const s of SCHEDULERS) await ensureJobScheduler(queue, s.id, s.repeat, s.template);
  }

  private async installSchedulers(): Promise<void> {
    const queue = this.queues.queue('tokenRefresh');
    const configured = missingNangoSettings(this.config, ['api']).length === 0;
    if (configured) await queue.setGlobalConcurrency(this.config.marketplace.refreshConcurrency);
    const install = configured && this.config.marketplace.refreshSchedulesEnabled;
    for (const s of SCHEDULERS) {
      if (install) await queue.upsertJobScheduler(s.id, s.repeat, s.template);
      else await queue.removeJobScheduler(s.id);
    }
  }

  async process(job: TokenJob, token?: string): Promise<unknown> {
    if (missingNangoSettings(this.config, ['api']).length) return { skipped: 'Nango is not configured' };
    switch (job.name) {
      case 'sweep': {
        const r = await this.refresher.enqueueDue();
        if (r.enqueued) this.logger.log(`Token sweep: ${r.enqueued} refresh job(s) enqueued (${r.alreadyQueued} already queued this hour)`);
        return r;
      }
      case 'refresh': {
        const outcome = await this.refresher.refresh(job.data.tenantId, job.data.companyId, job.data.force ?? false);
        if (outcome === 'busy') {
          // Another job is refreshing this company: run after it, without spending an attempt.
          await job.moveToDelayed(Date.now() + REFRESH_BUSY_DELAY_MS, token);
          throw new DelayedError();
        }
        return { outcome };
      }
      case 'cleanup':
        return this.refresher.cleanup();
      default:
        return { skipped: `unknown job ${(job as Job).name}` };
    }
  }
}
