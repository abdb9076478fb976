import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enterprise rows: the audit log, workflow versions, team invitations and a workflow's
 * error handler.
 *
 * - `audit_log` is append-only: a trigger refuses every UPDATE, so no code path (the API has
 *   none) can rewrite history; only the retention job's DELETE of old rows removes any. No
 *   foreign keys: an audit row outlives the tenant, user or workflow it names. The bigint id
 *   orders rows for cursor paging.
 * - `workflow_versions` keeps every saved definition (the current one included), so a version
 *   an execution ran can always be read; existing workflows get their current definition as
 *   their only version.
 * - `invitations` stores only a SHA-256 hash of the single-use token.
 * - `workflows.error_workflow_id` names the workflow run when a run fails for good.
 */
export class EnterpriseRows1763760000000 implements MigrationInterface {
  name = 'EnterpriseRows1763760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        tenant_id uuid,
        actor_type varchar(16) NOT NULL CHECK (actor_type IN ('user', 'admin_token', 'anonymous')),
        actor_id varchar(64),
        actor_email varchar(254),
        action varchar(64) NOT NULL,
        target_type varchar(32) NOT NULL,
        target_id varchar(128),
        request_id varchar(128),
        client_ip varchar(64),
        changes jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_tenant_action_idx ON audit_log (tenant_id, action, id DESC)`);
    await q.query(`CREATE INDEX audit_log_tenant_target_idx ON audit_log (tenant_id, target_type, target_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_tenant_actor_idx ON audit_log (tenant_id, actor_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log rows are never updated';
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);

    await q.query(`ALTER TABLE workflows ADD COLUMN error_workflow_id uuid REFERENCES workflows(id) ON DELETE SET NULL`);

    await q.query(`
      CREATE TABLE workflow_versions (
        workflow_id uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
        version integer NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name varchar(200) NOT NULL,
        description varchar(2000),
        active boolean NOT NULL,
        trigger jsonb NOT NULL,
        steps jsonb NOT NULL,
        settings jsonb NOT NULL,
        error_workflow_id uuid,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workflow_id, version)
      )`);
    await q.query(`CREATE INDEX workflow_versions_tenant_idx ON workflow_versions (tenant_id, workflow_id, version DESC)`);
    await q.query(`
      INSERT INTO workflow_versions (workflow_id, version, tenant_id, name, description, active, trigger, steps, settings, created_at)
      SELECT id, version, tenant_id, name, description, active, trigger, steps, settings, updated_at FROM workflows`);

    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        email varchar(254) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        token_hash varchar(64) NOT NULL UNIQUE,
        invited_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_user_id uuid,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX invitations_tenant_idx ON invitations (tenant_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE invitations`);
    await q.query(`DROP TABLE workflow_versions`);
    await q.query(`ALTER TABLE workflows DROP COLUMN error_workflow_id`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
