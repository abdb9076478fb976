import { Injectable } from '@nestjs/common';
import { TriggerRegistry } from './trigger.registry';

/**
 * @deprecated The execution processor's one use of schedules from before triggers were plug-ins:
 * it drops the scheduler of a tick whose workflow is gone or no longer scheduled. Kept so the
 * processor compiles unchanged; it goes once the processor asks the registry itself
 * (`registry.get(trigger)?.deactivate(...)` with the trigger the tick carries).
 */
@Injectable()
export class WorkflowSchedulesService {
  constructor(private readonly triggers: TriggerRegistry) {}

  async remove(workflowId: string): Promise<void> {
    // Only the id matters to a deactivation of a workflow that no longer runs.
    await this.triggers.get('schedule')?.deactivate({
      id: workflowId,
      tenantId: '',
      active: false,
      trigger: { type: 'schedule' },
      settings: { retries: 0, backoff: { type: 'fixed', delayMs: 0 }, stepTimeoutMs: 0 },
    });
  }
}
