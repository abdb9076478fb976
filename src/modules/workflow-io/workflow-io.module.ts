import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials';
import { WorkflowsModule } from '../workflows';
import { WorkflowIoController } from './workflow-io.controller';
import { WorkflowIoService } from './workflow-io.service';

/** POST /api/workflows/import and GET /api/workflows/:id/export, on top of the workflows module. */
@Module({
  imports: [WorkflowsModule, CredentialsModule],
  controllers: [WorkflowIoController],
  providers: [WorkflowIoService],
  exports: [WorkflowIoService],
})
export class WorkflowIoModule {}
