import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TriggerKind } from '../../../core/queue/queue.registry';
import { StepError, StepResult } from '../../engine';

export const EXECUTION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const FINAL_STATUSES: ExecutionStatus[] = ['succeeded', 'failed', 'cancelled'];
/** The triggers built in (a run's `trigger` may also be any trigger type a plug-in registers). */
export const BUILT_IN_TRIGGERS: readonly TriggerKind[] = ['webhook', 'schedule', 'manual', 'error', 'retry'];
/** A trigger name as stored (`executions.trigger` is varchar(32)). */
export const TRIGGER_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export type ExecutionError = StepError & { step?: string };

/** One row per accepted event (id = the BullMQ job id, or derived from it), however many attempts. */
@Entity('executions')
export class ExecutionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'workflow_id', type: 'uuid', nullable: true }) workflowId: string | null;
  @Column({ name: 'workflow_name', type: 'varchar' }) workflowName: string;
  @Column({ name: 'workflow_version', type: 'int', nullable: true }) workflowVersion: number | null;
  @Column({ type: 'varchar', length: 32 }) trigger: TriggerKind;
  @Column({ type: 'varchar' }) status: ExecutionStatus;
  @Column({ name: 'job_id', type: 'varchar' }) jobId: string;
  @Column({ type: 'jsonb', nullable: true }) input: unknown;
  @Column({ name: 'input_truncated', type: 'boolean', default: false }) inputTruncated: boolean;
  /** The exact input, sealed; set only when `input` was redacted or cut. Never returned. */
  @Column({ name: 'input_sealed', type: 'text', nullable: true, select: false }) inputSealed: string | null;
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" }) steps: StepResult[];
  @Column({ type: 'jsonb', nullable: true }) error: ExecutionError | null;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'retry_of', type: 'uuid', nullable: true }) retryOf: string | null;
  @Column({ name: 'scheduled_for', type: 'timestamptz', nullable: true }) scheduledFor: Date | null;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'duration_ms', type: 'int', nullable: true }) durationMs: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
