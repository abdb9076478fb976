import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { SchedulerKeeper } from '../../core/queue/scheduler-keeper.service';
import { WorkflowSchedulesService } from './workflow-schedules.service';

/**
 * Makes BullMQ's workflow schedulers match the database at start, after every Redis reconnect
 * (a Redis that came back empty) and periodically (SchedulerKeeper): a crash between a commit
 * and a scheduler write, or a lost Redis, never silently stops a schedule for long.
 */
@Injectable()
export class ScheduleReconciliation implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: WorkflowSchedulesService,
    private readonly keeper: SchedulerKeeper,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.executions.reconcileSchedules) return;
    this.keeper.keep('workflow', () => this.schedules.reconcile());
  }
}
