import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { StepDefinition } from '../../engine';
import { WorkflowSettings, WorkflowTrigger } from '../workflow.types';

/** One saved definition of a workflow (immutable: a save adds a row, nothing updates one). */
@Entity('workflow_versions')
export class WorkflowVersionEntity {
  @PrimaryColumn({ name: 'workflow_id', type: 'uuid' }) workflowId: string;
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar', nullable: true }) description: string | null;
  /** Whether the workflow was active when this version was saved (activation itself is not a version). */
  @Column({ type: 'boolean' }) active: boolean;
  @Column({ type: 'jsonb' }) trigger: WorkflowTrigger;
  @Column({ type: 'jsonb' }) steps: StepDefinition[];
  @Column({ type: 'jsonb' }) settings: WorkflowSettings;
  @Column({ name: 'error_workflow_id', type: 'uuid', nullable: true }) errorWorkflowId: string | null;
  /** The user who saved it; null for versions back-filled by the migration. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
