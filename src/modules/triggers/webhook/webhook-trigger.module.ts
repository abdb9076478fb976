import { Module } from '@nestjs/common';
import { triggerDocumentation, WorkflowsModule } from '../../workflows';
import { WEBHOOK_TRIGGER, WebhookTrigger } from './webhook-trigger';

@Module({
  imports: [WorkflowsModule],
  providers: [WebhookTrigger, triggerDocumentation(WEBHOOK_TRIGGER)],
})
export class WebhookTriggerModule {}
