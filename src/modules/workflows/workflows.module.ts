import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { EngineModule } from '../engine';
import { WorkflowVersionEntity } from './entities/workflow-version.entity';
import { WorkflowEntity } from './entities/workflow.entity';
import { TriggerRegistry } from './triggers/trigger.registry';
import { WorkflowCache } from './workflow-cache';
import { WorkflowValidator } from './workflow-validator';
import { WorkflowVersionsController } from './versions/workflow-versions.controller';
import { WorkflowVersionsService } from './versions/workflow-versions.service';
import { WorkflowVersionsRepository } from './workflow-versions.repository';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsRepository } from './workflows.repository';
import { WorkflowsService } from './workflows.service';

/**
 * Workflows and the trigger registry their lifecycle calls. The trigger types themselves are
 * plug-ins (src/modules/triggers) that import this module and register with the registry.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WorkflowEntity, WorkflowVersionEntity]), EngineModule, AuditModule],
  controllers: [WorkflowsController, WorkflowVersionsController],
  providers: [
    WorkflowsRepository,
    WorkflowValidator,
    TriggerRegistry,
    WorkflowCache,
    WorkflowsService,
    WorkflowVersionsRepository,
    WorkflowVersionsService,
  ],
  exports: [WorkflowsRepository, WorkflowCache, WorkflowsService, TriggerRegistry],
})
export class WorkflowsModule {}
