import { Module } from '@nestjs/common';
import { triggerDocumentation, WorkflowsModule } from '../../workflows';
import { SCHEDULE_TRIGGER, ScheduleTriggerHandler } from './schedule-trigger';
import { WorkflowSchedulesService } from './workflow-schedules.service';

@Module({
  imports: [WorkflowsModule],
  providers: [WorkflowSchedulesService, ScheduleTriggerHandler, triggerDocumentation(SCHEDULE_TRIGGER)],
})
export class ScheduleTriggerModule {}
