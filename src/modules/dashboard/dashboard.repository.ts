import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../../core/database/read-database';

export interface DashboardWindow {
  from: Date;
  to: Date;
}

export interface StatusCountsRow {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface HourRow {
  hour: Date;
  succeeded: number;
  failed: number;
  other: number;
}

export interface SlowRow {
  workflow_id: string;
  name: string;
  runs: number;
  p95: number;
  avg: number;
}

export interface FailingRow {
  workflow_id: string;
  name: string;
  runs: number;
  failed: number;
}

/**
 * The dashboard's reads. Every statement names the tenant, and every read of `executions`
 * bounds `received_at` (its partition key) so only the window's partitions are scanned. They
 * go to the logs' read connection (a replica when configured): a dashboard tolerates lag.
 */
@Injectable()
export class DashboardRepository {
  constructor(private readonly reader: ReadDatabase) {}

  async workflowCounts(tenantId: string): Promise<{ active: number; total: number }> {
    const [row] = await this.reader.query<Array<{ active: number; total: number }>>(
      `SELECT count(*) FILTER (WHERE active)::int AS active, count(*)::int AS total FROM workflows WHERE tenant_id = $1`,
      [tenantId],
    );
    return row;
  }

  async statusCounts(tenantId: string, w: DashboardWindow): Promise<StatusCountsRow> {
    const [row] = await this.reader.query<StatusCountsRow[]>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'queued')::int AS queued,
              count(*) FILTER (WHERE status = 'running')::int AS running,
              count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
       FROM executions WHERE tenant_id = $1 AND received_at >= $2 AND received_at <= $3`,
      [tenantId, w.from, w.to],
    );
    return row;
  }

  /** One row per hour of the window (empty hours too), in UTC whatever the session's zone. */
  perHour(tenantId: string, w: DashboardWindow): Promise<HourRow[]> {
    return this.reader.query<HourRow[]>(
      `WITH runs AS (
         SELECT date_trunc('hour', received_at AT TIME ZONE 'UTC') AS hour, status
         FROM executions WHERE tenant_id = $1 AND received_at >= $2 AND received_at <= $3
       )
       SELECT h.hour AT TIME ZONE 'UTC' AS hour,
              count(r.status) FILTER (WHERE r.status = 'succeeded')::int AS succeeded,
              count(r.status) FILTER (WHERE r.status = 'failed')::int AS failed,
              count(r.status) FILTER (WHERE r.status NOT IN ('succeeded', 'failed'))::int AS other
       FROM generate_series(date_trunc('hour', $2::timestamptz AT TIME ZONE 'UTC'), $3::timestamptz AT TIME ZONE 'UTC', interval '1 hour') AS h(hour)
       LEFT JOIN runs r ON r.hour = h.hour
       GROUP BY h.hour ORDER BY h.hour`,
      [tenantId, w.from, w.to],
    );
  }

  /** Top 5 workflows by p95 duration of their finished (succeeded or failed) runs in the window. */
  slowest(tenantId: string, w: DashboardWindow): Promise<SlowRow[]> {
    return this.reader.query<SlowRow[]>(
      `SELECT e.workflow_id, coalesce(wf.name, max(e.workflow_name)) AS name, count(*)::int AS runs,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY e.duration_ms) AS p95, avg(e.duration_ms)::float8 AS avg
       FROM executions e LEFT JOIN workflows wf ON wf.id = e.workflow_id AND wf.tenant_id = $1
       WHERE e.tenant_id = $1 AND e.received_at >= $2 AND e.received_at <= $3
         AND e.workflow_id IS NOT NULL AND e.status IN ('succeeded', 'failed') AND e.duration_ms IS NOT NULL
       GROUP BY e.workflow_id, wf.name
       ORDER BY p95 DESC, e.workflow_id LIMIT 5`,
      [tenantId, w.from, w.to],
    );
  }

  /** Top 5 workflows with failed runs in the window: most failures, then highest failure rate. */
  mostFailing(tenantId: string, w: DashboardWindow): Promise<FailingRow[]> {
    return this.reader.query<FailingRow[]>(
      `SELECT e.workflow_id, coalesce(wf.name, max(e.workflow_name)) AS name, count(*)::int AS runs,
              count(*) FILTER (WHERE e.status = 'failed')::int AS failed
       FROM executions e LEFT JOIN workflows wf ON wf.id = e.workflow_id AND wf.tenant_id = $1
       WHERE e.tenant_id = $1 AND e.received_at >= $2 AND e.received_at <= $3 AND e.workflow_id IS NOT NULL
       GROUP BY e.workflow_id, wf.name
       HAVING count(*) FILTER (WHERE e.status = 'failed') > 0
       ORDER BY failed DESC, count(*) FILTER (WHERE e.status = 'failed')::float8 / count(*) DESC, e.workflow_id LIMIT 5`,
      [tenantId, w.from, w.to],
    );
  }
}
