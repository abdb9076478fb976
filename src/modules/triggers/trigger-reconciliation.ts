import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { SchedulerKeeper } from '../../core/queue/scheduler-keeper.service';
import { TriggerRegistry } from '../workflows';

/**
 * The one place every trigger's outside state is made to match the database: each registered
 * handler with a `reconcile` runs under the SchedulerKeeper, i.e. at start, after every
 * reconnect of the shared Redis client (a Redis that came back empty lost the schedules) and
 * every SCHEDULER_CHECK_INTERVAL_SECONDS. A crash between a commit and an activation, or a
 * lost Redis, never silently stops a trigger for long. Off with SCHEDULE_RECONCILE=false.
 */
@Injectable()
export class TriggerReconciliation implements OnApplicationBootstrap {
  constructor(
    private readonly registry: TriggerRegistry,
    private readonly keeper: SchedulerKeeper,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.executions.reconcileSchedules) return;
    for (const handler of this.registry.all()) {
      const reconcile = handler.reconcile?.bind(handler);
      if (reconcile) this.keeper.keep(`${handler.type} trigger`, reconcile);
    }
  }
}
