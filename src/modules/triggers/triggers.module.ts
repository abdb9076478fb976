import { Module } from '@nestjs/common';
import { WorkflowsModule } from '../workflows';
import { AmqpTriggerModule } from './amqp';
import { ManualTriggerModule } from './manual/manual-trigger.module';
import { ScheduleTriggerModule } from './schedule/schedule-trigger.module';
import { TriggerCatalogCheck } from './trigger-catalog-check';
import { ErrorTriggerModule } from './error/error-trigger.module';
import { TriggerReconciliation } from './trigger-reconciliation';
import { WebhookTriggerModule } from './webhook/webhook-trigger.module';

/** The trigger types of this deployment, each a folder with its module. A new trigger: one line here. */
const TRIGGER_MODULES = [WebhookTriggerModule, ScheduleTriggerModule, ManualTriggerModule, AmqpTriggerModule, ErrorTriggerModule];

@Module({
  imports: [WorkflowsModule, ...TRIGGER_MODULES],
  providers: [TriggerReconciliation, TriggerCatalogCheck],
})
export class TriggersModule {}
