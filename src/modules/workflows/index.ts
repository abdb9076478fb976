/** The workflows module's public surface: other modules import from here, never from its files. */
export { WEBHOOK_PAYLOAD_EXAMPLE, WORKFLOW_DOCUMENT_EXAMPLE } from './dto/workflow-examples';
export { ApiWorkflowIdParam } from './dto/workflow-id-param';
export { CreatedWorkflowDto, MAX_STEPS, StepDto, StepFieldsDto, StepList, WorkflowFieldsDto } from './dto/workflow.dto';
export { WorkflowEntity } from './entities/workflow.entity';
export { WorkflowCache } from './workflow-cache';
export { executionJobOptions } from './workflow-job-options';
export type { WorkflowSettings } from './workflow.types';
export { WorkflowsModule } from './workflows.module';
export { WorkflowsRepository } from './workflows.repository';
export { WorkflowsService } from './workflows.service';
export { TriggerRegistry } from './triggers/trigger.registry';
export { documentedTrigger, triggerDocumentation } from './triggers/trigger-document';
export type { TriggerDefinition } from './triggers/trigger-document';
export type {
  RequestedRun,
  StartedRun,
  StoredTrigger,
  TriggerHandler,
  TriggerReconcileReport,
  TriggerValidationContext,
  TriggerWorkflow,
} from './triggers/trigger-handler';
export { normalizeFieldlessTrigger } from './triggers/fieldless-trigger';
