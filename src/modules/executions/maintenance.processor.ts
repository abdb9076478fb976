import { Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { JobHandlers, JobProcessor, QueueProcessor } from '../../core/queue/job-processor';
import { AuditQueryService } from '../audit';
import { EnsureReport, ExecutionPartitions, RetentionReport } from './execution-partitions';
import { StuckExecutionsReconciler } from './stuck-executions.reconciler';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Housekeeping on the maintenance queue, driven by static job schedulers (one tick across all
 * replicas; declared in core/queue/static-schedulers.ts): the daily retention prune (drops whole
 * daily partitions of `executions`), the hourly partitions-ahead job (also run once when a host
 * that runs this queue starts) and the stuck-run reconciler.
 */
@QueueProcessor('maintenance')
export class MaintenanceProcessor extends JobProcessor<'maintenance'> {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  protected readonly handlers: JobHandlers<'maintenance'> = {
    'prune-executions': () => this.prune(),
    'reconcile-stuck': () => this.reconciler.run(),
    'ensure-execution-partitions': () => this.ensurePartitions(),
    'prune-audit': () => this.audit.prune(),
  };

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly partitions: ExecutionPartitions,
    private readonly reconciler: StuckExecutionsReconciler,
    private readonly audit: AuditQueryService,
  ) {
    super();
  }

  protected concurrency(): number {
    return 1;
  }

  /** Start-up: the days ahead exist before the first hourly tick (a failure is logged; inserts still land in DEFAULT). */
  async onApplicationBootstrap(): Promise<void> {
    super.onApplicationBootstrap();
    if (!this.running) return;
    await this.ensurePartitions().catch((err: unknown) => this.logger.warn({ err }, 'Could not create execution partitions at start'));
  }

  private ensurePartitions(): Promise<EnsureReport> {
    return this.partitions.ensure(this.config.executions.partitionsAheadDays);
  }

  private async prune(): Promise<RetentionReport> {
    const cutoff = new Date(Date.now() - this.config.executions.retentionDays * DAY_MS);
    const report = await this.partitions.dropBefore(cutoff);
    if (report.droppedPartitions || report.deleted) {
      this.logger.log(
        `Retention: dropped ${report.droppedPartitions} daily partition(s) and deleted ${report.deleted} row(s) received before ${cutoff.toISOString()}`,
      );
    }
    return report;
  }
}
