import { MigrationInterface, QueryRunner } from 'typeorm';

const DAY_MS = 24 * 3600 * 1000;
/** Days created ahead of today here; afterwards the maintenance job keeps EXECUTION_PARTITIONS_AHEAD_DAYS. */
const AHEAD_DAYS = 7;

/**
 * Columns, foreign keys and CHECKs of `executions` as 1763715000000 + 1763740000000 left them, the
 * constraints named as PostgreSQL named them there (explicitly: the old table still holds those names
 * while rows are copied).
 */
const COLUMNS = `
  id uuid NOT NULL,
  tenant_id uuid NOT NULL CONSTRAINT executions_tenant_id_fkey REFERENCES tenants(id) ON DELETE CASCADE,
  workflow_id uuid CONSTRAINT executions_workflow_id_fkey REFERENCES workflows(id) ON DELETE SET NULL,
  workflow_name varchar(200) NOT NULL,
  workflow_version integer,
  trigger varchar(32) NOT NULL,
  status varchar(16) NOT NULL CONSTRAINT executions_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  job_id varchar(200) NOT NULL,
  input jsonb,
  input_truncated boolean NOT NULL DEFAULT false,
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
  updated_at timestamptz NOT NULL DEFAULT now()`;

const COLUMN_NAMES = `id, tenant_id, workflow_id, workflow_name, workflow_version, trigger, status, job_id, input, input_truncated,
  input_sealed, steps, error, attempts, retry_of, scheduled_for, received_at, started_at, finished_at, duration_ms, created_at, updated_at`;

/** The secondary indexes (same names and columns as before; on the parent they cascade to every partition). */
const INDEXES = [
  `CREATE INDEX executions_tenant_received_idx ON executions (tenant_id, received_at DESC, id DESC)`,
  `CREATE INDEX executions_tenant_workflow_idx ON executions (tenant_id, workflow_id, received_at DESC, id DESC)`,
  `CREATE INDEX executions_tenant_status_idx ON executions (tenant_id, status, received_at DESC, id DESC)`,
  `CREATE INDEX executions_unfinished_idx ON executions (updated_at) WHERE status IN ('queued', 'running')`,
];
/**
 * Only the unpartitioned table has it: it served row-by-row retention, which dropping daily
 * partitions replaces. On the partitioned table it would cost every insert an index write and
 * mislead the planner on the logs' first page (it picked it, filtered by tenant and re-sorted
 * above the Merge Append, instead of the tenant index that is already in order).
 */
const RECEIVED_INDEX = `CREATE INDEX executions_received_idx ON executions (received_at)`;
const INDEX_NAMES = [
  'executions_tenant_received_idx',
  'executions_tenant_workflow_idx',
  'executions_tenant_status_idx',
  'executions_unfinished_idx',
  'executions_received_idx',
];

/** `executions_pYYYYMMDD` for the UTC day starting at `dayStartMs` (identifier built only from the formatted date). */
function partitionName(dayStartMs: number): string {
  return `executions_p${new Date(dayStartMs).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * `executions` becomes partitioned by RANGE (received_at), one partition per UTC day named
 * `executions_pYYYYMMDD`, plus `executions_default` (DEFAULT) so an insert never fails when the
 * maintenance job has not created a day yet. The primary key becomes (id, received_at): a
 * partitioned table's unique keys must hold the partition key (an execution's received_at never
 * changes across attempts, so id stays unique in practice). Columns, foreign keys, CHECKs and
 * the tenant indexes are unchanged; the index on received_at alone goes (see RECEIVED_INDEX).
 *
 * Existing rows are copied into one daily partition per UTC day they cover (so retention can drop
 * them by the day straight away), then the days from today to today + 7 are created. The copy
 * rewrites the table inside this migration's transaction: on a big table, plan for it.
 */
export class PartitionExecutions1763750000000 implements MigrationInterface {
  name = 'PartitionExecutions1763750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE executions RENAME TO executions_unpartitioned`);
    // Index names are per schema: the old ones go (the old table is dropped below anyway).
    await q.query(`ALTER TABLE executions_unpartitioned DROP CONSTRAINT executions_pkey`);
    for (const name of INDEX_NAMES) await q.query(`DROP INDEX ${name}`);

    await q.query(`CREATE TABLE executions (${COLUMNS}, PRIMARY KEY (id, received_at)) PARTITION BY RANGE (received_at)`);
    for (const sql of INDEXES) await q.query(sql);
    await q.query(`CREATE TABLE executions_default PARTITION OF executions DEFAULT`);

    const rows: Array<{ day: Date }> = await q.query(
      `SELECT DISTINCT date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day FROM executions_unpartitioned`,
    );
    const days = new Set(rows.map((r) => utcDayStart(new Date(r.day).getTime())));
    const today = utcDayStart(Date.now());
    for (let d = 0; d <= AHEAD_DAYS; d++) days.add(today + d * DAY_MS);
    for (const day of [...days].sort((a, b) => a - b)) {
      await q.query(
        `CREATE TABLE ${partitionName(day)} PARTITION OF executions FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
      );
    }

    await q.query(`INSERT INTO executions (${COLUMN_NAMES}) SELECT ${COLUMN_NAMES} FROM executions_unpartitioned`);
    await q.query(`DROP TABLE executions_unpartitioned`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE executions RENAME TO executions_partitioned`);
    for (const name of INDEX_NAMES.filter((n) => n !== 'executions_received_idx')) await q.query(`DROP INDEX ${name}`);
    await q.query(`ALTER TABLE executions_partitioned DROP CONSTRAINT executions_pkey`);
    await q.query(`CREATE TABLE executions (${COLUMNS}, PRIMARY KEY (id))`);
    for (const sql of [...INDEXES, RECEIVED_INDEX]) await q.query(sql);
    // Fails (primary key) if one id was stored under two received_at values, which the app never writes.
    await q.query(`INSERT INTO executions (${COLUMN_NAMES}) SELECT ${COLUMN_NAMES} FROM executions_partitioned`);
    // Drops every partition with it.
    await q.query(`DROP TABLE executions_partitioned`);
  }
}
