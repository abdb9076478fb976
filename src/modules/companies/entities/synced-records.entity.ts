import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Columns every synced record has: upserted by (company, the provider's id). */
abstract class SyncedRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'company_id', type: 'uuid' }) companyId: string;
  @Column({ name: 'external_id' }) externalId: string;
  @Column({ type: 'varchar', nullable: true }) name: string | null;
  /** The provider's record as received. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) data: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('locations')
export class LocationEntity extends SyncedRecord {
  @Column({ type: 'text', nullable: true }) address: string | null;
}

@Entity('contacts')
export class ContactEntity extends SyncedRecord {
  @Column({ type: 'varchar', nullable: true }) email: string | null;
  @Column({ type: 'varchar', nullable: true }) phone: string | null;
}

@Entity('products')
export class ProductEntity extends SyncedRecord {
  @Column({ type: 'varchar', nullable: true }) sku: string | null;
  /** numeric comes back from pg as a string; kept as text to avoid float rounding. */
  @Column({ type: 'numeric', nullable: true }) price: string | null;
  @Column({ type: 'text', nullable: true }) description: string | null;
}
