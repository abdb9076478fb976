import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ReadDatabase } from '../../core/database/read-database';
import { TriggerKind } from '../../core/queue/queue.registry';
import { StepResult } from '../engine';
import { ExecutionEntity, ExecutionError, ExecutionStatus } from './entities/execution.entity';
import { GroupCommit } from './group-commit';

export interface StartExecution {
  id: string;
  tenantId: string;
  workflowId: string | null;
  workflowName: string;
  workflowVersion: number | null;
  trigger: TriggerKind;
  jobId: string;
  input: unknown;
  inputTruncated: boolean;
  inputSealed: string | null;
  retryOf: string | null;
  scheduledFor: Date | null;
  receivedAt: Date;
  /** Written when the row is inserted (default 1; a re-delivery after a crash inserts 2 and up). */
  attempts?: number;
  /** When this attempt began, if not now (a row written after the run began). */
  startedAt?: Date;
}

/** Every column of a run's row, for the writes that insert it when it is missing. */
export type ExecutionRow = StartExecution & { attempts: number; startedAt: Date };

export interface FinishExecution {
  status: Extract<ExecutionStatus, 'succeeded' | 'failed' | 'cancelled'>;
  steps: StepResult[];
  error: ExecutionError | null;
  durationMs: number | null;
}

export interface ExecutionFilters {
  statuses?: ExecutionStatus[];
  workflowId?: string;
  triggers?: TriggerKind[];
  from?: Date;
  to?: Date;
}

export interface ExecutionCursor {
  receivedAt: string;
  id: string;
}

export interface WorkflowStatsRow {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  p50: number | null;
  p95: number | null;
  last_run_at: Date | null;
  last_status: string | null;
}

/** The insert columns of a row (rowJson) and their types, as jsonb_to_record(set) reads them. */
const ROW_TYPES = `id uuid, tenant_id uuid, workflow_id uuid, workflow_name varchar, workflow_version int, trigger varchar,
  job_id varchar, input jsonb, input_truncated boolean, input_sealed text, attempts int, retry_of uuid, scheduled_for timestamptz,
  received_at timestamptz, started_at timestamptz`;

const LIST_COLUMNS = [
  'id',
  'tenant_id',
  'workflow_id',
  'workflow_name',
  'workflow_version',
  'trigger',
  'status',
  'job_id',
  'attempts',
  'retry_of',
  'error',
  'scheduled_for',
  'received_at',
  'started_at',
  'finished_at',
  'duration_ms',
  'created_at',
  'updated_at',
];

@Injectable()
export class ExecutionsRepository {
  constructor(
    @InjectRepository(ExecutionEntity) private readonly repo: Repository<ExecutionEntity>,
    /** The logs' read connection (DATABASE_READ_URL, a replica; or the primary): list and stats only. */
    private readonly reader: ReadDatabase,
  ) {}

  /**
   * Records an attempt as `running`: inserts the row on the first attempt, bumps `attempts` on
   * later ones. Returns the attempt number, or null when the row is already final (a job that
   * finished but whose acknowledgement was lost runs nothing again). Concurrent calls share one
   * statement (group commit); each resolves once its row is stored.
   */
  start(e: StartExecution): Promise<number | null> {
    return this.starts.submit(e);
  }

  /** Final state, written once: a row already final is left alone. Returns whether it was written. */
  finish(tenantId: string, id: string, f: FinishExecution): Promise<boolean> {
    return this.finishes.submit({ tenantId, id, f });
  }

  /**
   * Final state of a run that may have no row yet (a first attempt that ended before its
   * `running` row was due): one upsert carrying every column, so a quick run is one INSERT. A
   * row already final is left alone, and a `running` insert that lands after it changes nothing
   * (start's upsert also requires queued/running). Group-committed like start and finish.
   * Returns whether it was written.
   */
  record(row: ExecutionRow, f: FinishExecution): Promise<boolean> {
    return this.records.submit({ row, f });
  }

  private readonly starts = new GroupCommit<StartExecution, number | null>(
    (items) => this.startMany(items),
    (e) => e.id,
  );
  private readonly finishes = new GroupCommit<{ tenantId: string; id: string; f: FinishExecution }, boolean>(
    (items) => this.finishMany(items),
    (x) => x.id,
  );
  private readonly records = new GroupCommit<{ row: ExecutionRow; f: FinishExecution }, boolean>(
    (items) => this.recordMany(items),
    (x) => x.row.id,
  );

  /** One statement for a batch; rows travel as one JSON document (cheaper than escaped arrays). */
  private async startMany(items: StartExecution[]): Promise<Array<number | null>> {
    const rows: Array<{ id: string; attempts: number }> = await this.repo.query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, workflow_version, trigger, status, job_id,
                               input, input_truncated, input_sealed, attempts, retry_of, scheduled_for, received_at, started_at)
       SELECT v.id, v.tenant_id, v.workflow_id, v.workflow_name, v.workflow_version, v.trigger, 'running', v.job_id,
              v.input, v.input_truncated, v.input_sealed, coalesce(v.attempts, 1), v.retry_of, v.scheduled_for, v.received_at,
              coalesce(v.started_at, now())
       FROM jsonb_to_recordset($1::jsonb) AS v(${ROW_TYPES})
       ON CONFLICT (id, received_at) DO UPDATE
         SET status = 'running', attempts = executions.attempts + 1, workflow_version = EXCLUDED.workflow_version,
             started_at = now(), updated_at = now()
         WHERE executions.status IN ('queued', 'running') AND executions.tenant_id = EXCLUDED.tenant_id
       RETURNING id, attempts`,
      [JSON.stringify(items.map(rowJson))],
    );
    const byId = new Map(rows.map((r) => [r.id, r.attempts]));
    return items.map((e) => byId.get(e.id) ?? null);
  }

  private async finishMany(items: Array<{ tenantId: string; id: string; f: FinishExecution }>): Promise<boolean[]> {
    const rows: Array<{ id: string }> = await this.repo.query(
      `UPDATE executions e SET status = v.status, steps = v.steps, error = v.error, duration_ms = v.duration_ms,
              finished_at = now(), updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, tenant_id uuid, status varchar, steps jsonb, error jsonb, duration_ms int)
       WHERE e.id = v.id AND e.tenant_id = v.tenant_id AND e.status IN ('queued', 'running')
       RETURNING e.id`,
      [
        JSON.stringify(
          items.map((x) => ({
            id: x.id,
            tenant_id: x.tenantId,
            status: x.f.status,
            steps: x.f.steps,
            error: x.f.error,
            duration_ms: x.f.durationMs,
          })),
        ),
      ],
    );
    const done = new Set(rows.map((r) => r.id));
    return items.map((x) => done.has(x.id));
  }

  /**
   * One statement for a batch of final states (see record): inserts the whole row, or, when a
   * `running`/`queued` row exists, updates it (attempts and started_at stay as that row has them).
   */
  private async recordMany(items: Array<{ row: ExecutionRow; f: FinishExecution }>): Promise<boolean[]> {
    const rows: Array<{ id: string }> = await this.repo.query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, workflow_version, trigger, status, job_id,
                               input, input_truncated, input_sealed, attempts, retry_of, scheduled_for, received_at, started_at,
                               steps, error, duration_ms, finished_at)
       SELECT v.id, v.tenant_id, v.workflow_id, v.workflow_name, v.workflow_version, v.trigger, v.status, v.job_id,
              v.input, v.input_truncated, v.input_sealed, v.attempts, v.retry_of, v.scheduled_for, v.received_at, v.started_at,
              coalesce(v.steps, '[]'::jsonb), v.error, v.duration_ms, now()
       FROM jsonb_to_recordset($1::jsonb) AS v(${ROW_TYPES}, status varchar, steps jsonb, error jsonb, duration_ms int)
       ON CONFLICT (id, received_at) DO UPDATE
         SET status = EXCLUDED.status, steps = EXCLUDED.steps, error = EXCLUDED.error, duration_ms = EXCLUDED.duration_ms,
             finished_at = now(), updated_at = now()
         WHERE executions.status IN ('queued', 'running') AND executions.tenant_id = EXCLUDED.tenant_id
       RETURNING id`,
      [
        JSON.stringify(
          items.map(({ row, f }) => ({ ...rowJson(row), status: f.status, steps: f.steps, error: f.error, duration_ms: f.durationMs })),
        ),
      ],
    );
    const done = new Set(rows.map((r) => r.id));
    return items.map((x) => done.has(x.row.id));
  }

  /**
   * A failed attempt that BullMQ will retry: `queued`, keeping what the attempt did. Inserts the
   * row when the attempt wrote none (a first attempt that failed before its `running` row was due).
   */
  async markRetrying(row: ExecutionRow, steps: StepResult[], error: ExecutionError): Promise<void> {
    await this.repo.query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, workflow_version, trigger, status, job_id,
                               input, input_truncated, input_sealed, attempts, retry_of, scheduled_for, received_at, started_at,
                               steps, error)
       SELECT v.id, v.tenant_id, v.workflow_id, v.workflow_name, v.workflow_version, v.trigger, 'queued', v.job_id,
              v.input, v.input_truncated, v.input_sealed, v.attempts, v.retry_of, v.scheduled_for, v.received_at, v.started_at,
              $2::jsonb, $3::jsonb
       FROM jsonb_to_record($1::jsonb) AS v(${ROW_TYPES})
       ON CONFLICT (id, received_at) DO UPDATE SET status = 'queued', steps = EXCLUDED.steps, error = EXCLUDED.error, updated_at = now()
         WHERE executions.status IN ('queued', 'running') AND executions.tenant_id = EXCLUDED.tenant_id`,
      [JSON.stringify(rowJson(row)), JSON.stringify(steps), JSON.stringify(error)],
    );
  }

  /** A run that ends before it starts (workflow deleted or deactivated): one final row. */
  async recordEnded(e: StartExecution, f: FinishExecution): Promise<void> {
    await this.repo.query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, workflow_version, trigger, status, job_id,
                               input, input_truncated, input_sealed, attempts, retry_of, scheduled_for, received_at, steps, error, finished_at, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $13, $7, $8, $9, $17, 1, $10, $11, $12, $14, $15, now(), $16)
       ON CONFLICT (id, received_at) DO UPDATE
         SET status = EXCLUDED.status, error = EXCLUDED.error, steps = EXCLUDED.steps, finished_at = now(), updated_at = now()
         WHERE executions.status IN ('queued', 'running') AND executions.tenant_id = EXCLUDED.tenant_id`,
      [
        e.id,
        e.tenantId,
        e.workflowId,
        e.workflowName,
        e.workflowVersion,
        e.trigger,
        e.jobId,
        JSON.stringify(e.input ?? null),
        e.inputTruncated,
        e.retryOf,
        e.scheduledFor,
        e.receivedAt,
        f.status,
        JSON.stringify(f.steps),
        f.error ? JSON.stringify(f.error) : null,
        f.durationMs,
        e.inputSealed,
      ],
    );
  }

  findInTenant(tenantId: string, id: string): Promise<ExecutionEntity | null> {
    return this.repo.findOne({ where: { tenantId, id } });
  }

  /** Which of these execution ids have a row in this tenant. */
  async existingIds(tenantId: string, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: Array<{ id: string }> = await this.repo.query(`SELECT id FROM executions WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [
      tenantId,
      ids,
    ]);
    return rows.map((r) => r.id);
  }

  /** The sealed exact input (for a retry), or null when the stored input is already exact. */
  async sealedInput(tenantId: string, id: string): Promise<string | null> {
    const rows: Array<{ input_sealed: string | null }> = await this.repo.query(
      `SELECT input_sealed FROM executions WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0]?.input_sealed ?? null;
  }

  /** Newest first by (received_at, id); `after` continues from the last item of the previous page. */
  async list(tenantId: string, f: ExecutionFilters, limit: number, after?: ExecutionCursor): Promise<ExecutionEntity[]> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (f.statuses?.length) add((n) => `status = ANY(${n}::varchar[])`, f.statuses);
    if (f.workflowId) add((n) => `workflow_id = ${n}`, f.workflowId);
    if (f.triggers?.length) add((n) => `trigger = ANY(${n}::varchar[])`, f.triggers);
    if (f.from) add((n) => `received_at >= ${n}`, f.from);
    if (f.to) add((n) => `received_at < ${n}`, f.to);
    if (after) {
      params.push(after.receivedAt, after.id);
      // The plain received_at bound lets PostgreSQL skip the newer daily partitions (row comparisons do not prune).
      where.push(`received_at <= $${params.length - 1}::timestamptz`);
      where.push(`(received_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit);
    const rows: Array<Record<string, unknown>> = await this.reader.query(
      `SELECT ${LIST_COLUMNS.join(', ')} FROM executions WHERE ${where.join(' AND ')}
       ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRaw);
  }

  async stats(tenantId: string, workflowId: string): Promise<WorkflowStatsRow> {
    const [row] = await this.reader.query<WorkflowStatsRow[]>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'queued')::int AS queued,
              count(*) FILTER (WHERE status = 'running')::int AS running,
              count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status IN ('succeeded', 'failed')) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status IN ('succeeded', 'failed')) AS p95,
              max(received_at) AS last_run_at,
              (SELECT status FROM executions WHERE tenant_id = $1 AND workflow_id = $2 ORDER BY received_at DESC, id DESC LIMIT 1) AS last_status
       FROM executions WHERE tenant_id = $1 AND workflow_id = $2`,
      [tenantId, workflowId],
    );
    return row;
  }

  /** Unfinished runs not touched for a while, across tenants (the reconciler checks their jobs). */
  async findUnfinishedBefore(
    cutoff: Date,
    limit: number,
  ): Promise<Array<{ id: string; tenant_id: string; job_id: string; status: ExecutionStatus }>> {
    return this.repo.query(
      `SELECT id, tenant_id, job_id, status FROM executions
       WHERE status IN ('queued', 'running') AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [cutoff, limit],
    );
  }

  /** Marks one unfinished run failed (crashed worker, lost job); no-op if it finished meanwhile. */
  async failUnfinished(tenantId: string, id: string, cutoff: Date, error: ExecutionError): Promise<boolean> {
    const res: [unknown[], number] = await this.repo.query(
      `UPDATE executions SET status = 'failed', error = $4, finished_at = now(), updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status IN ('queued', 'running') AND updated_at < $3`,
      [tenantId, id, cutoff, JSON.stringify(error)],
    );
    return res[1] > 0;
  }
}

/** The insert columns of a row, as jsonb_to_record(set) reads them (types: ROW_TYPES); a start may leave attempts and started_at to the database. */
function rowJson(e: StartExecution) {
  return {
    id: e.id,
    tenant_id: e.tenantId,
    workflow_id: e.workflowId,
    workflow_name: e.workflowName,
    workflow_version: e.workflowVersion,
    trigger: e.trigger,
    job_id: e.jobId,
    input: e.input ?? null,
    input_truncated: e.inputTruncated,
    input_sealed: e.inputSealed,
    attempts: e.attempts ?? null,
    retry_of: e.retryOf,
    scheduled_for: e.scheduledFor,
    received_at: e.receivedAt,
    started_at: e.startedAt ?? null,
  };
}

/** A list row (no input or step detail). */
function fromRaw(r: Record<string, unknown>): ExecutionEntity {
  return Object.assign(new ExecutionEntity(), {
    id: r.id,
    tenantId: r.tenant_id,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    workflowVersion: r.workflow_version,
    trigger: r.trigger,
    status: r.status,
    jobId: r.job_id,
    attempts: r.attempts,
    retryOf: r.retry_of,
    error: r.error,
    scheduledFor: r.scheduled_for,
    receivedAt: r.received_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}
