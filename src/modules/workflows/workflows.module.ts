import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngineModule } from '../engine';
import { WorkflowEntity } from './entities/workflow.entity';
import { TriggerRegistry } from './triggers/trigger.registry';
import { WorkflowCache } from './workflow-cache';
import { WorkflowValidator } from './workflow-validator';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsRepository } from './workflows.repository';
import { WorkflowsService } from './workflows.service';

/**
 * Workflows and the trigger registry their lifecycle calls. The trigger types themselves are
 * plug-ins (src/modules/triggers) that import this module and register with the registry.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WorkflowEntity]), EngineModule],
  controllers: [WorkflowsController],
  providers: [WorkflowsRepository, WorkflowValidator, TriggerRegistry, WorkflowCache, WorkflowsService],
  exports: [WorkflowsRepository, WorkflowCache, WorkflowsService, TriggerRegistry],
})
export class WorkflowsModule {}
