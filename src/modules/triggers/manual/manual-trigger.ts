import { Injectable } from '@nestjs/common';
import type { ErrorDetail } from '../../../core/errors/app-exception';
import { ExecutionProducer } from '../../executions';
import {
  normalizeFieldlessTrigger,
  RequestedRun,
  StartedRun,
  StoredTrigger,
  TriggerDefinition,
  TriggerHandler,
  TriggerRegistry,
  TriggerValidationContext,
} from '../../workflows';

export const MANUAL_TRIGGER: TriggerDefinition = {
  type: 'manual',
  description:
    'Runs only when asked: `POST /api/workflows/{id}/run` (any workflow can be run that way; a manual workflow has no webhook or schedule). Takes no other field.',
  schema: {
    type: 'object',
    properties: { type: { type: 'string', enum: ['manual'], example: 'manual', description: 'A workflow started by hand only' } },
    required: ['type'],
    additionalProperties: false,
  },
};

/**
 * Runs started on request: `POST /api/workflows/{id}/run` and retries, for a workflow of any
 * trigger type, and the `manual` trigger type itself (a workflow nothing else starts).
 */
@Injectable()
export class ManualTrigger implements TriggerHandler {
  readonly type = MANUAL_TRIGGER.type;
  readonly description = MANUAL_TRIGGER.description;
  readonly schema = MANUAL_TRIGGER.schema;

  constructor(
    registry: TriggerRegistry,
    private readonly producer: ExecutionProducer,
  ) {
    registry.register(this);
  }

  async normalize(input: StoredTrigger, ctx: TriggerValidationContext, problems: ErrorDetail[]): Promise<StoredTrigger | null> {
    return normalizeFieldlessTrigger(this.type, input, ctx, problems);
  }

  /** Nothing outside starts a manual workflow: only a request does. */
  async activate(): Promise<void> {}

  async deactivate(): Promise<void> {}

  enqueue(run: RequestedRun): Promise<StartedRun> {
    return this.producer.enqueue({
      tenantId: run.tenantId,
      workflowId: run.workflowId,
      trigger: run.retryOf ? 'retry' : this.type,
      payload: run.payload,
      settings: run.settings,
      ...(run.retryOf ? { retryOf: run.retryOf } : {}),
      ...(run.userId ? { userId: run.userId } : {}),
      ...(run.idempotencyKey ? { idempotencyKey: run.idempotencyKey } : {}),
    });
  }
}
