import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connector credentials. `ciphertext` is AES-256-GCM (EncryptionService) bound to the tenant
 * and row id, so it cannot be moved to another row; `key_id` names the key that sealed it
 * (rotation finds old rows by it). Only a masked `hint` is ever shown.
 */
export class Credentials1763710000000 implements MigrationInterface {
  name = 'Credentials1763710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credentials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name varchar(120) NOT NULL,
        connector_key varchar(64) NOT NULL,
        auth_kind varchar(32) NOT NULL,
        ciphertext text NOT NULL,
        key_id varchar(16) NOT NULL,
        hint varchar(160) NOT NULL DEFAULT '',
        last_tested_at timestamptz,
        last_test_ok boolean,
        last_test_detail varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX credentials_tenant_name_unique ON credentials (tenant_id, lower(name))`);
    await q.query(`CREATE INDEX credentials_tenant_connector_idx ON credentials (tenant_id, connector_key)`);
    await q.query(`CREATE INDEX credentials_key_id_idx ON credentials (key_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE credentials');
  }
}
