import { Module } from '@nestjs/common';
import { triggerDocumentation, WorkflowsModule } from '../../workflows';
import { ERROR_TRIGGER, ErrorTrigger } from './error-trigger';

@Module({
  imports: [WorkflowsModule],
  providers: [ErrorTrigger, triggerDocumentation(ERROR_TRIGGER)],
})
export class ErrorTriggerModule {}
