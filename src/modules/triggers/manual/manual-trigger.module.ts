import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../../executions';
import { triggerDocumentation, WorkflowsModule } from '../../workflows';
import { MANUAL_TRIGGER, ManualTrigger } from './manual-trigger';

@Module({
  imports: [WorkflowsModule, ExecutionsModule],
  providers: [ManualTrigger, triggerDocumentation(MANUAL_TRIGGER)],
})
export class ManualTriggerModule {}
