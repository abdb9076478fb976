import { Injectable } from '@nestjs/common';
import type { ErrorDetail } from '../../../core/errors/app-exception';
import {
  StoredTrigger,
  TriggerDefinition,
  TriggerHandler,
  TriggerReconcileReport,
  TriggerRegistry,
  TriggerValidationContext,
  TriggerWorkflow,
} from '../../workflows';
import { normalizeSchedule } from './normalize-schedule';
import { MAX_INTERVAL_SECONDS, MIN_SCHEDULE_GAP_SECONDS, ScheduleTrigger } from './schedule-trigger.types';
import { SCHEDULE, WorkflowSchedulesService } from './workflow-schedules.service';

/** Only `type` has an example: a body built from every property's example must still be valid. */
export const SCHEDULE_TRIGGER: TriggerDefinition = {
  type: SCHEDULE,
  description: 'Runs every `intervalSeconds`, or on `cron` (in `timezone`): give exactly one of the two.',
  schema: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: [SCHEDULE], example: SCHEDULE, description: 'A schedule trigger' },
      intervalSeconds: {
        type: 'integer',
        description: 'Run every N seconds (10 s to 31 days), e.g. 600. Give this or `cron`.',
        minimum: MIN_SCHEDULE_GAP_SECONDS,
        maximum: MAX_INTERVAL_SECONDS,
      },
      cron: {
        type: 'string',
        description:
          'A cron expression (5 or 6 fields), e.g. `*/15 * * * *`. Give this or `intervalSeconds`. Its real fire times (in `timezone`, daylight-saving changes included) must be at least 10 s apart.',
        maxLength: 120,
      },
      timezone: { type: 'string', description: 'With `cron` only: IANA time zone, e.g. `Europe/Paris` (default UTC)', maxLength: 64 },
    },
    required: ['type'],
    additionalProperties: false,
  },
};

/**
 * The schedule trigger: one BullMQ job scheduler per active scheduled workflow
 * (WorkflowSchedulesService), kept in step with the database by `reconcile`.
 */
@Injectable()
export class ScheduleTriggerHandler implements TriggerHandler<ScheduleTrigger> {
  readonly type = SCHEDULE_TRIGGER.type;
  readonly description = SCHEDULE_TRIGGER.description;
  readonly schema = SCHEDULE_TRIGGER.schema;

  constructor(
    registry: TriggerRegistry,
    private readonly schedules: WorkflowSchedulesService,
  ) {
    registry.register(this);
  }

  async normalize(input: StoredTrigger, ctx: TriggerValidationContext, problems: ErrorDetail[]): Promise<ScheduleTrigger | null> {
    return normalizeSchedule(input, ctx.field, problems);
  }

  activate(workflow: TriggerWorkflow<ScheduleTrigger>): Promise<void> {
    return this.schedules.upsert(workflow);
  }

  deactivate(workflow: TriggerWorkflow<ScheduleTrigger>): Promise<void> {
    return this.schedules.remove(workflow.id);
  }

  reconcile(): Promise<TriggerReconcileReport> {
    return this.schedules.reconcile();
  }
}
