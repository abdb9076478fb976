import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { StepDefinition } from '../../engine';
import { WorkflowSettings, WorkflowTrigger } from '../workflow.types';

@Entity('workflows')
export class WorkflowEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar', nullable: true }) description: string | null;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ type: 'jsonb' }) trigger: WorkflowTrigger;
  @Column({ type: 'jsonb' }) steps: StepDefinition[];
  @Column({ type: 'jsonb' }) settings: WorkflowSettings;
  /** Sealed with EncryptionService (AAD = workflow id); never returned by the API. */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true, select: false }) webhookSecret: string | null;
  @Column({ type: 'int', default: 1 }) version: number;
  /** The workflow run (once, with the failure) when a run of this one fails for good; null: none. */
  @Column({ name: 'error_workflow_id', type: 'uuid', nullable: true }) errorWorkflowId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
