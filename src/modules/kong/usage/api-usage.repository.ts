import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface UsageRow {
  tenantId: string;
  deploymentId: string | null;
  workflowId: string | null;
  consumer: string | null;
  routeName: string | null;
  serviceName: string | null;
  method: string;
  path: string;
  status: number;
  requestBytes: number;
  responseBytes: number;
  latencyMs: number;
  upstreamLatencyMs: number | null;
  kongLatencyMs: number | null;
  clientIp: string | null;
  startedAt: Date;
}

export const USAGE_GROUP_BY = ['consumer', 'route', 'day'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BY)[number];

export interface UsageGroup {
  key: string;
  requests: number;
  errors: number;
  requestBytes: number;
  responseBytes: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

const GROUP_EXPR: Record<UsageGroupBy, string> = {
  consumer: `COALESCE(consumer, '(anonymous)')`,
  route: `COALESCE(route_name, '(unknown)')`,
  day: `to_char(date_trunc('day', started_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
};

const COLUMNS = [
  'tenant_id',
  'deployment_id',
  'workflow_id',
  'consumer',
  'route_name',
  'service_name',
  'method',
  'path',
  'status',
  'request_bytes',
  'response_bytes',
  'latency_ms',
  'upstream_latency_ms',
  'kong_latency_ms',
  'client_ip',
  'started_at',
];

@Injectable()
export class ApiUsageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Tenants among `ids` that exist (usage can only be stored for them). */
  async existingTenants(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM tenants WHERE id = ANY($1::uuid[])', [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Deployment id → tenant and workflow, for the deployments named in a batch. */
  async deploymentOwners(ids: string[]): Promise<Map<string, { tenantId: string; workflowId: string }>> {
    if (!ids.length) return new Map();
    const rows: { id: string; tenant_id: string; workflow_id: string }[] = await this.dataSource.query(
      'SELECT id, tenant_id, workflow_id FROM kong_deployments WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { tenantId: r.tenant_id, workflowId: r.workflow_id }]));
  }

  /** All rows in one transaction: a batch is stored whole or not at all. */
  async insertBatch(rows: UsageRow[]): Promise<void> {
    if (!rows.length) return;
    await this.dataSource.transaction(async (m) => {
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        const params: unknown[] = [];
        const values = chunk.map((r) => {
          const v = [
            r.tenantId,
            r.deploymentId,
            r.workflowId,
            r.consumer,
            r.routeName,
            r.serviceName,
            r.method,
            r.path,
            r.status,
            r.requestBytes,
            r.responseBytes,
            r.latencyMs,
            r.upstreamLatencyMs,
            r.kongLatencyMs,
            r.clientIp,
            r.startedAt,
          ];
          const placeholders = v.map((x) => {
            params.push(x);
            return `$${params.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        await m.query(`INSERT INTO api_usage (${COLUMNS.join(', ')}) VALUES ${values.join(', ')}`, params);
      }
    });
  }

  /** Request counts, bytes and latency percentiles (percentile_cont) per group, for one tenant. */
  async aggregate(
    tenantId: string,
    q: { from: Date; to: Date; groupBy: UsageGroupBy; workflowId?: string },
  ): Promise<{ groups: UsageGroup[]; totals: Omit<UsageGroup, 'key'> }> {
    const params: unknown[] = [tenantId, q.from, q.to];
    let where = 'tenant_id = $1 AND started_at >= $2 AND started_at < $3';
    if (q.workflowId) {
      params.push(q.workflowId);
      where += ` AND workflow_id = $${params.length}`;
    }
    const select = `count(*)::bigint AS requests,
      count(*) FILTER (WHERE status >= 400)::bigint AS errors,
      COALESCE(sum(request_bytes), 0)::bigint AS request_bytes,
      COALESCE(sum(response_bytes), 0)::bigint AS response_bytes,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99`;
    const expr = GROUP_EXPR[q.groupBy];
    const groups: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${expr} AS key, ${select} FROM api_usage WHERE ${where} GROUP BY 1 ORDER BY ${q.groupBy === 'day' ? '1 ASC' : 'requests DESC, 1 ASC'} LIMIT 1000`,
      params,
    );
    const [totals] = (await this.dataSource.query(`SELECT ${select} FROM api_usage WHERE ${where}`, params)) as Record<string, unknown>[];
    return { groups: groups.map((g) => ({ key: String(g.key), ...toStats(g) })), totals: toStats(totals) };
  }
}

function toStats(r: Record<string, unknown>): Omit<UsageGroup, 'key'> {
  const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const ms = (v: unknown) => Math.round(n(v) * 100) / 100;
  return {
    requests: n(r.requests),
    errors: n(r.errors),
    requestBytes: n(r.request_bytes),
    responseBytes: n(r.response_bytes),
    latencyMs: { p50: ms(r.p50), p95: ms(r.p95), p99: ms(r.p99) },
  };
}
