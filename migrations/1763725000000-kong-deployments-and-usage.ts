import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What Flowgate made in Kong (`kong_deployments`) and the usage Kong reports back
 * (`api_usage`). No foreign key to workflows: deleting a workflow must not silently drop the
 * record of Kong entities that still exist; the template is deleted explicitly.
 */
export class KongDeploymentsAndUsage1763725000000 implements MigrationInterface {
  name = 'KongDeploymentsAndUsage1763725000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE kong_deployments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        workflow_id uuid NOT NULL,
        use_case varchar(32) NOT NULL CHECK (use_case IN
          ('protocol_bridge', 'webhook_handler', 'smart_aggregator', 'federated_security', 'usage_tracking')),
        options jsonb NOT NULL DEFAULT '{}',
        mode varchar(8) NOT NULL CHECK (mode IN ('db', 'dbless')),
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'active', 'failed')),
        last_error text,
        secrets_ciphertext text,
        kong_entities jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT kong_deployments_one_per_use_case UNIQUE (tenant_id, workflow_id, use_case)
      )`);
    await q.query(`CREATE INDEX kong_deployments_tenant_idx ON kong_deployments (tenant_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE api_usage (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        deployment_id uuid REFERENCES kong_deployments(id) ON DELETE SET NULL,
        workflow_id uuid,
        consumer varchar(255),
        route_name varchar(255),
        service_name varchar(255),
        method varchar(16) NOT NULL,
        path varchar(2048) NOT NULL,
        status smallint NOT NULL,
        request_bytes bigint NOT NULL DEFAULT 0,
        response_bytes bigint NOT NULL DEFAULT 0,
        latency_ms integer NOT NULL DEFAULT 0,
        upstream_latency_ms integer,
        kong_latency_ms integer,
        client_ip varchar(64),
        started_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_usage_tenant_time_idx ON api_usage (tenant_id, started_at)`);
    await q.query(`CREATE INDEX api_usage_deployment_idx ON api_usage (deployment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_usage');
    await q.query('DROP TABLE kong_deployments');
  }
}
