import { Module } from '@nestjs/common';
import { triggerDocumentation, WorkflowsModule } from '../../workflows';
import { SchedulePreviewController } from './schedule-preview.controller';
import { SCHEDULE_TRIGGER, ScheduleTriggerHandler } from './schedule-trigger';
import { WorkflowSchedulesService } from './workflow-schedules.service';

@Module({
  imports: [WorkflowsModule],
  controllers: [SchedulePreviewController],
  providers: [WorkflowSchedulesService, ScheduleTriggerHandler, triggerDocumentation(SCHEDULE_TRIGGER)],
})
export class ScheduleTriggerModule {}
