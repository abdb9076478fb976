import { Processor } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { QueueService } from '../../core/queue/queue.module';
import { JobPayloads, QUEUES } from '../../core/queue/queue.registry';
import { RoleAwareWorkerHost } from '../../core/queue/role-aware-worker.host';
import { ensureJobScheduler, SchedulerKeeper } from '../../core/queue/scheduler-keeper.service';
import { ExecutionsRepository } from './executions.repository';
import { StuckExecutionsReconciler } from './stuck-executions.reconciler';

type MaintenanceJob = Job<JobPayloads['maintenance'][keyof JobPayloads['maintenance']]>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Housekeeping on the maintenance queue, driven by BullMQ job schedulers (one tick across all
 * replicas): the daily retention prune and the stuck-run reconciler.
 */
@Processor(QUEUES.maintenance, { autorun: false })
export class MaintenanceProcessor extends RoleAwareWorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly executions: ExecutionsRepository,
    private readonly reconciler: StuckExecutionsReconciler,
    private readonly keeper: SchedulerKeeper,
  ) {
    super();
  }

  protected concurrency(): number {
    return 1;
  }

  override onApplicationBootstrap(): void {
    const q = this.queues.queue('maintenance');
    const schedulers = [
      { id: 'prune-executions', repeat: { every: DAY_MS } },
      { id: 'reconcile-stuck', repeat: { every: this.config.executions.reconcileIntervalSeconds * 1000 } },
    ];
    const template = (id: string) => ({ name: id, data: {}, opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } } });
    // At start: upsert (a changed interval applies). Later: put back only what a Redis loss removed.
    void Promise.all(schedulers.map((s) => q.upsertJobScheduler(s.id, s.repeat, template(s.id)))).catch((e) =>
      this.logger.warn({ err: e }, 'Could not register maintenance schedules'),
    );
    this.keeper.keep('maintenance', () => Promise.all(schedulers.map((s) => ensureJobScheduler(q, s.id, s.repeat, template(s.id)))), false);
    super.onApplicationBootstrap();
  }

  async process(job: MaintenanceJob): Promise<unknown> {
    switch (job.name) {
      case 'prune-executions': {
        const cutoff = new Date(Date.now() - this.config.executions.retentionDays * DAY_MS);
        const deleted = await this.executions.pruneBefore(cutoff);
        if (deleted) this.logger.log(`Pruned ${deleted} execution(s) received before ${cutoff.toISOString()}`);
        return { deleted };
      }
      case 'reconcile-stuck':
        return this.reconciler.run();
      default:
        this.logger.warn(`Unknown maintenance job "${job.name}" ignored`);
        return { ignored: job.name };
    }
  }
}
