import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { UseCase } from '../patterns';

/** What Flowgate made in Kong, by name and id, for the GET answers and for clean-up. */
export interface KongEntityRecord {
  services: { name: string; id?: string }[];
  routes: { name: string; id?: string; paths: string[]; methods: string[] }[];
  plugins: { name: string; id?: string; on: string }[];
  consumer?: { username: string; id?: string };
  credentials: { kind: 'key-auth' | 'acl' | 'oauth2'; id?: string }[];
}

@Entity('kong_deployments')
export class KongDeploymentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'workflow_id', type: 'uuid' }) workflowId: string;
  @Column({ name: 'use_case', type: 'varchar' }) useCase: UseCase;
  @Column({ type: 'jsonb' }) options: Record<string, unknown>;
  @Column({ type: 'varchar' }) mode: 'db' | 'dbless';
  @Column({ type: 'varchar' }) status: 'pending' | 'active' | 'failed';
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  /** Encrypted JSON of DeploymentSecrets (AAD: the deployment id); never returned. */
  @Column({ name: 'secrets_ciphertext', type: 'text', nullable: true }) secretsCiphertext: string | null;
  @Column({ name: 'kong_entities', type: 'jsonb' }) kongEntities: KongEntityRecord | Record<string, never>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
