import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { QueueService } from '../../core/queue/queue.module';
import { ExecutionsRepository } from './executions.repository';

const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);

export interface ReconcileStuckReport {
  checked: number;
  failed: number;
}

/**
 * Finds runs left `queued`/`running` (a worker crashed after BullMQ gave up on the job, the job
 * was removed, a result could not be written) and marks them failed, so the log never shows a
 * run as in progress forever. A run whose job is still live in BullMQ is left alone: BullMQ's
 * stalled check will hand it to another worker.
 */
@Injectable()
export class StuckExecutionsReconciler {
  private readonly logger = new Logger(StuckExecutionsReconciler.name);

  constructor(
    private readonly executions: ExecutionsRepository,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(batchSize = 500): Promise<ReconcileStuckReport> {
    const cutoff = new Date(Date.now() - this.config.executions.stuckAfterSeconds * 1000);
    const rows = await this.executions.findUnfinishedBefore(cutoff, batchSize);
    const queue = this.queues.queue('executions');
    let failed = 0;
    for (const row of rows) {
      const job = await queue.getJob(row.job_id);
      const state = job ? await job.getState() : 'missing';
      if (LIVE_STATES.has(state)) continue;
      const reason = state === 'failed' && job?.failedReason ? `: ${job.failedReason}` : '';
      const message = `The run stopped without a result (its job is ${state}${reason}); marked failed by the reconciler`;
      if (
        await this.executions.failUnfinished(row.tenant_id, row.id, cutoff, {
          message: message.slice(0, 1000),
          retryable: false,
          code: 'RUN_LOST',
        })
      )
        failed++;
    }
    if (failed) this.logger.warn(`Reconciler marked ${failed} stuck execution(s) failed`);
    return { checked: rows.length, failed };
  }
}
