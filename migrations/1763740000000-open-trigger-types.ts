import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trigger types are plug-ins (one folder each, registered at start), so the database no longer
 * lists them: the CHECK on `executions.trigger` goes and the column takes any trigger name up to
 * 32 characters. The partial index that served the schedule reconciliation only becomes one on
 * `(trigger->>'type')` for every active workflow, which serves each trigger type's
 * reconciliation ("active workflows whose trigger type is X").
 */
export class OpenTriggerTypes1763740000000 implements MigrationInterface {
  name = 'OpenTriggerTypes1763740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE executions DROP CONSTRAINT executions_trigger_check`);
    await q.query(`ALTER TABLE executions ALTER COLUMN trigger TYPE varchar(32)`);
    await q.query(`DROP INDEX workflows_active_schedule_idx`);
    await q.query(`CREATE INDEX workflows_active_trigger_type_idx ON workflows ((trigger->>'type'), id) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails while executions of another trigger type exist: they cannot be dropped silently.
    await q.query(`DROP INDEX workflows_active_trigger_type_idx`);
    await q.query(`CREATE INDEX workflows_active_schedule_idx ON workflows (id) WHERE active AND (trigger->>'type') = 'schedule'`);
    await q.query(`ALTER TABLE executions ALTER COLUMN trigger TYPE varchar(16)`);
    await q.query(
      `ALTER TABLE executions ADD CONSTRAINT executions_trigger_check CHECK (trigger IN ('webhook', 'schedule', 'manual', 'retry'))`,
    );
  }
}
