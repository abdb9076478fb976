import { MigrationInterface, QueryRunner } from 'typeorm';

/** Workflows (definition + version) and their executions (one row per accepted event). */
export class WorkflowsAndExecutions1763715000000 implements MigrationInterface {
  name = 'WorkflowsAndExecutions1763715000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name varchar(200) NOT NULL,
        description varchar(2000),
        active boolean NOT NULL DEFAULT true,
        trigger jsonb NOT NULL,
        steps jsonb NOT NULL,
        settings jsonb NOT NULL,
        webhook_secret text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX workflows_tenant_idx ON workflows (tenant_id, created_at DESC, id DESC)`);
    // Schedule reconciliation reads every active scheduled workflow.
    await q.query(`CREATE INDEX workflows_active_schedule_idx ON workflows (id) WHERE active AND (trigger->>'type') = 'schedule'`);

    await q.query(`
      CREATE TABLE executions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        workflow_id uuid REFERENCES workflows(id) ON DELETE SET NULL,
        workflow_name varchar(200) NOT NULL,
        workflow_version integer,
        trigger varchar(16) NOT NULL CHECK (trigger IN ('webhook', 'schedule', 'manual', 'retry')),
        status varchar(16) NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        job_id varchar(200) NOT NULL,
        input jsonb,
        input_truncated boolean NOT NULL DEFAULT false,
        -- The exact input, sealed (AES-GCM), kept only when the stored one was redacted or cut: retries replay it.
        input_sealed text,
        steps jsonb NOT NULL DEFAULT '[]'::jsonb,
        error jsonb,
        attempts integer NOT NULL DEFAULT 0,
        retry_of uuid,
        scheduled_for timestamptz,
        received_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        duration_ms integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX executions_tenant_received_idx ON executions (tenant_id, received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX executions_tenant_workflow_idx ON executions (tenant_id, workflow_id, received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX executions_tenant_status_idx ON executions (tenant_id, status, received_at DESC, id DESC)`);
    // The reconciler looks only at unfinished runs.
    await q.query(`CREATE INDEX executions_unfinished_idx ON executions (updated_at) WHERE status IN ('queued', 'running')`);
    // Retention prunes by age across tenants.
    await q.query(`CREATE INDEX executions_received_idx ON executions (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE executions');
    await q.query('DROP TABLE workflows');
  }
}
