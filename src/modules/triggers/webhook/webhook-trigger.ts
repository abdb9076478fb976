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

/** The trigger type's name, also the `trigger` of the runs its calls start. */
export const WEBHOOK_TRIGGER_TYPE = 'webhook';

export const WEBHOOK_TRIGGER: TriggerDefinition = {
  type: WEBHOOK_TRIGGER_TYPE,
  description:
    "Runs on each POST to the workflow's `webhookPath` (signed with `X-Flowgate-Signature` once the workflow has a webhook secret). Takes no other field.",
  schema: {
    type: 'object',
    properties: { type: { type: 'string', enum: [WEBHOOK_TRIGGER_TYPE], example: WEBHOOK_TRIGGER_TYPE, description: 'A webhook trigger' } },
    required: ['type'],
    additionalProperties: false,
  },
};

/** Whether a workflow's trigger is a webhook: the only kind the webhook route starts runs for. */
export function isWebhookTrigger(trigger: { type: string }): boolean {
  return trigger.type === WEBHOOK_TRIGGER_TYPE;
}

/**
 * The webhook trigger. Nothing outside Flowgate holds state for it: the webhook route
 * (src/modules/webhooks) reads the workflow from the cache on every call, so activating and
 * deactivating are the database write alone.
 */
@Injectable()
export class WebhookTrigger implements TriggerHandler {
  readonly type = WEBHOOK_TRIGGER.type;
  readonly description = WEBHOOK_TRIGGER.description;
  readonly schema = WEBHOOK_TRIGGER.schema;

  constructor(registry: TriggerRegistry) {
    registry.register(this);
  }

  async normalize(input: StoredTrigger, ctx: TriggerValidationContext, problems: ErrorDetail[]): Promise<StoredTrigger | null> {
    return normalizeFieldlessTrigger(this.type, input, ctx, problems);
  }

  async activate(): Promise<void> {}

  async deactivate(): Promise<void> {}
}
