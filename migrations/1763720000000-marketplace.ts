import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marketplace installations: companies connected through Nango, their synced
 * locations, contacts and products, and sync runs. No token is stored: Nango keeps the
 * credentials, Flowgate keeps only their expiry and the refresh outcome.
 */
export class Marketplace1763720000000 implements MigrationInterface {
  name = 'Marketplace1763720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE companies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        connection_id varchar(255) NOT NULL,
        provider_config_key varchar(255) NOT NULL,
        provider varchar(100) NOT NULL,
        business_name varchar(255),
        status varchar(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth', 'revoked')),
        connection_config jsonb NOT NULL DEFAULT '{}',
        token_expires_at timestamptz,
        last_refresh_at timestamptz,
        last_refresh_status varchar(20) CHECK (last_refresh_status IN ('succeeded', 'failed')),
        last_refresh_error text,
        refresh_failures integer NOT NULL DEFAULT 0,
        last_synced_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A Nango connection belongs to exactly one tenant.
    await q.query(`CREATE UNIQUE INDEX companies_connection_unique ON companies (provider_config_key, connection_id)`);
    await q.query(`CREATE INDEX companies_tenant_idx ON companies (tenant_id, created_at DESC)`);
    await q.query(`CREATE INDEX companies_refresh_due_idx ON companies (token_expires_at) WHERE status = 'active'`);

    for (const [table, cols] of [
      ['locations', `name varchar(500), address text`],
      ['contacts', `name varchar(500), email varchar(320), phone varchar(100)`],
      ['products', `name varchar(500), sku varchar(255), price numeric(18, 4), description text`],
    ] as const) {
      await q.query(`
        CREATE TABLE ${table} (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
          company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
          external_id varchar(255) NOT NULL,
          ${cols},
          data jsonb NOT NULL DEFAULT '{}',
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        )`);
      await q.query(`CREATE UNIQUE INDEX ${table}_company_external_unique ON ${table} (company_id, external_id)`);
      await q.query(`CREATE INDEX ${table}_tenant_idx ON ${table} (tenant_id)`);
    }

    await q.query(`
      CREATE TABLE sync_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
        status varchar(20) NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed')),
        counts jsonb NOT NULL DEFAULT '{}',
        errors jsonb NOT NULL DEFAULT '[]',
        started_at timestamptz,
        finished_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sync_runs_company_idx ON sync_runs (company_id, created_at DESC)`);
    await q.query(`CREATE INDEX sync_runs_tenant_idx ON sync_runs (tenant_id)`);
    await q.query(`CREATE INDEX sync_runs_created_idx ON sync_runs (created_at)`);

    // Webhook deliveries already handled (Nango retries): the body's digest, kept a week.
    await q.query(`
      CREATE TABLE nango_webhook_deliveries (
        digest char(64) PRIMARY KEY,
        type varchar(50) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX nango_webhook_deliveries_received_idx ON nango_webhook_deliveries (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['nango_webhook_deliveries', 'sync_runs', 'products', 'contacts', 'locations', 'companies'])
      await q.query(`DROP TABLE ${t}`);
  }
}
