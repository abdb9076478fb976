import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { EngineModule } from '../engine';
import { WorkflowsModule } from '../workflows';
import { ExecutionEntity } from './entities/execution.entity';
import { ExecutionProcessor } from './execution.processor';
import { ExecutionPartitions } from './execution-partitions';
import { ExecutionProducer } from './execution.producer';
import { IngestConnection } from './ingest-connection';
import { ExecutionsController, WorkflowRunsController, WorkflowStatsController } from './executions.controller';
import { ExecutionsRepository } from './executions.repository';
import { ExecutionsService } from './executions.service';
import { FailureAlerts } from './failure-alerts';
import { MaintenanceProcessor } from './maintenance.processor';
import { PendingRuns } from './pending-runs';
import { StuckExecutionsReconciler } from './stuck-executions.reconciler';

@Module({
  imports: [TypeOrmModule.forFeature([ExecutionEntity]), WorkflowsModule, EngineModule, AuditModule],
  controllers: [ExecutionsController, WorkflowRunsController, WorkflowStatsController],
  providers: [
    IngestConnection,
    ExecutionsRepository,
    ExecutionPartitions,
    ExecutionProducer,
    ExecutionsService,
    PendingRuns,
    ExecutionProcessor,
    MaintenanceProcessor,
    StuckExecutionsReconciler,
    FailureAlerts,
  ],
  exports: [IngestConnection, ExecutionProducer, ExecutionsRepository, StuckExecutionsReconciler, PendingRuns],
})
export class ExecutionsModule {}
