import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngineModule } from '../engine';
import { WorkflowEntity } from './entities/workflow.entity';
import { ScheduleReconciliation } from './schedule-reconciliation';
import { WorkflowCache } from './workflow-cache';
import { WorkflowSchedulesService } from './workflow-schedules.service';
import { WorkflowValidator } from './workflow-validator';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsRepository } from './workflows.repository';
import { WorkflowsService } from './workflows.service';

@Module({
  imports: [TypeOrmModule.forFeature([WorkflowEntity]), EngineModule],
  controllers: [WorkflowsController],
  providers: [WorkflowsRepository, WorkflowValidator, WorkflowSchedulesService, WorkflowCache, WorkflowsService, ScheduleReconciliation],
  exports: [WorkflowsRepository, WorkflowCache, WorkflowsService, WorkflowSchedulesService],
})
export class WorkflowsModule {}
