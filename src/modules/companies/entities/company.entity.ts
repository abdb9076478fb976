import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CompanyStatus = 'active' | 'needs_reauth' | 'revoked';
export const COMPANY_STATUSES: CompanyStatus[] = ['active', 'needs_reauth', 'revoked'];
export type RefreshStatus = 'succeeded' | 'failed';
export const REFRESH_STATUSES: RefreshStatus[] = ['succeeded', 'failed'];

/** An end-customer company connected through Nango. Holds no token, only its expiry. */
@Entity('companies')
export class CompanyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'connection_id' }) connectionId: string;
  @Column({ name: 'provider_config_key' }) providerConfigKey: string;
  @Column() provider: string;
  @Column({ name: 'business_name', type: 'varchar', nullable: true }) businessName: string | null;
  @Column({ type: 'varchar' }) status: CompanyStatus;
  @Column({ name: 'connection_config', type: 'jsonb', default: () => "'{}'" }) connectionConfig: Record<string, unknown>;
  @Column({ name: 'token_expires_at', type: 'timestamptz', nullable: true }) tokenExpiresAt: Date | null;
  @Column({ name: 'last_refresh_at', type: 'timestamptz', nullable: true }) lastRefreshAt: Date | null;
  @Column({ name: 'last_refresh_status', type: 'varchar', nullable: true }) lastRefreshStatus: RefreshStatus | null;
  @Column({ name: 'last_refresh_error', type: 'text', nullable: true }) lastRefreshError: string | null;
  @Column({ name: 'refresh_failures', type: 'int', default: 0 }) refreshFailures: number;
  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true }) lastSyncedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
