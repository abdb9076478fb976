import { Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { JobHandlers, JobProcessor, QueueProcessor } from '../../core/queue/job-processor';
import { ExecutionsRepository } from './executions.repository';
import { StuckExecutionsReconciler } from './stuck-executions.reconciler';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Housekeeping on the maintenance queue, driven by static job schedulers (one tick across all
 * replicas; declared in core/queue/static-schedulers.ts): the daily retention prune and the
 * stuck-run reconciler.
 */
@QueueProcessor('maintenance')
export class MaintenanceProcessor extends JobProcessor<'maintenance'> {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  protected readonly handlers: JobHandlers<'maintenance'> = {
    'prune-executions': () => this.prune(),
    'reconcile-stuck': () => this.reconciler.run(),
  };

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly executions: ExecutionsRepository,
    private readonly reconciler: StuckExecutionsReconciler,
  ) {
    super();
  }

  protected concurrency(): number {
    return 1;
  }

  private async prune(): Promise<{ deleted: number }> {
    const cutoff = new Date(Date.now() - this.config.executions.retentionDays * DAY_MS);
    const deleted = await this.executions.pruneBefore(cutoff);
    if (deleted) this.logger.log(`Pruned ${deleted} execution(s) received before ${cutoff.toISOString()}`);
    return { deleted };
  }
}
