import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';
export const SYNC_RUN_STATUSES: SyncRunStatus[] = ['queued', 'running', 'succeeded', 'partial', 'failed'];
export type SyncEntity = 'locations' | 'contacts' | 'products';
export const SYNC_ENTITIES: SyncEntity[] = ['locations', 'contacts', 'products'];

export interface SyncRunError {
  entity: SyncEntity | 'connection';
  message: string;
  status?: number;
}

@Entity('sync_runs')
export class SyncRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'company_id', type: 'uuid' }) companyId: string;
  @Column({ type: 'varchar' }) status: SyncRunStatus;
  @Column({ type: 'jsonb', default: () => "'{}'" }) counts: Partial<Record<SyncEntity, number>>;
  @Column({ type: 'jsonb', default: () => "'[]'" }) errors: SyncRunError[];
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
