import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ActorType } from '../../../core/security/request-actor';

/** One recorded change (append-only: a database trigger refuses updates). */
@Entity('audit_log')
export class AuditEntryEntity {
  /** bigint identity: ordered, the cursor of the list. Read as a string (beyond 2^53). */
  @PrimaryColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true }) tenantId: string | null;
  @Column({ name: 'actor_type', type: 'varchar' }) actorType: ActorType;
  @Column({ name: 'actor_id', type: 'varchar', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_email', type: 'varchar', nullable: true }) actorEmail: string | null;
  @Column({ type: 'varchar' }) action: string;
  @Column({ name: 'target_type', type: 'varchar' }) targetType: string;
  @Column({ name: 'target_id', type: 'varchar', nullable: true }) targetId: string | null;
  @Column({ name: 'request_id', type: 'varchar', nullable: true }) requestId: string | null;
  @Column({ name: 'client_ip', type: 'varchar', nullable: true }) clientIp: string | null;
  @Column({ type: 'jsonb', nullable: true }) changes: AuditChanges | null;
}

/** The changed fields only, before and after; secret fields say that they changed, never their value. */
export interface AuditChanges {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}
