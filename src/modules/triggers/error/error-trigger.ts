import { Injectable } from '@nestjs/common';
import type { ErrorDetail } from '../../../core/errors/app-exception';
import {
  normalizeFieldlessTrigger,
  StoredTrigger,
  TriggerDefinition,
  TriggerHandler,
  TriggerRegistry,
  TriggerValidationContext,
} from '../../workflows';

export const ERROR_TRIGGER: TriggerDefinition = {
  type: 'error',
  description:
    "n8n's Error Trigger: runs only as another workflow's error workflow (that workflow's `errorWorkflowId` names this one), once per run of it that fails for good, with the failure as its payload: `{{trigger.workflow.name}}`, `{{trigger.execution.url}}`, `{{trigger.failedStep.name}}`, `{{trigger.error.message}}`. `POST /api/workflows/{id}/run` runs it by hand. Takes no other field. (Any workflow can be named as an error workflow; its runs as one show trigger `error`.)",
  schema: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: ['error'], example: 'error', description: "A workflow run only as other workflows' error workflow" },
    },
    required: ['type'],
    additionalProperties: false,
  },
};

/**
 * The `error` trigger type: a workflow started by nothing outside, only by the worker when a run
 * of a workflow naming it as `errorWorkflowId` fails for good (src/modules/executions/failure-alerts.ts).
 * There is nothing to switch on or off here.
 */
@Injectable()
export class ErrorTrigger implements TriggerHandler {
  readonly type = ERROR_TRIGGER.type;
  readonly description = ERROR_TRIGGER.description;
  readonly schema = ERROR_TRIGGER.schema;

  constructor(registry: TriggerRegistry) {
    registry.register(this);
  }

  async normalize(input: StoredTrigger, ctx: TriggerValidationContext, problems: ErrorDetail[]): Promise<StoredTrigger | null> {
    return normalizeFieldlessTrigger(this.type, input, ctx, problems);
  }

  /** Runs come from other workflows' failures, not from the outside world. */
  async activate(): Promise<void> {}

  async deactivate(): Promise<void> {}
}
