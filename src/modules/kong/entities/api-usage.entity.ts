import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One request Kong served on a metered route, as reported by its http-log plugin. */
@Entity('api_usage')
export class ApiUsageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'deployment_id', type: 'uuid', nullable: true }) deploymentId: string | null;
  @Column({ name: 'workflow_id', type: 'uuid', nullable: true }) workflowId: string | null;
  @Column({ type: 'varchar', nullable: true }) consumer: string | null;
  @Column({ name: 'route_name', type: 'varchar', nullable: true }) routeName: string | null;
  @Column({ name: 'service_name', type: 'varchar', nullable: true }) serviceName: string | null;
  @Column({ type: 'varchar' }) method: string;
  @Column({ type: 'varchar' }) path: string;
  @Column({ type: 'smallint' }) status: number;
  @Column({ name: 'request_bytes', type: 'bigint' }) requestBytes: string;
  @Column({ name: 'response_bytes', type: 'bigint' }) responseBytes: string;
  @Column({ name: 'latency_ms', type: 'integer' }) latencyMs: number;
  @Column({ name: 'upstream_latency_ms', type: 'integer', nullable: true }) upstreamLatencyMs: number | null;
  @Column({ name: 'kong_latency_ms', type: 'integer', nullable: true }) kongLatencyMs: number | null;
  @Column({ name: 'client_ip', type: 'varchar', nullable: true }) clientIp: string | null;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
