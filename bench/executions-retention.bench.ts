import { DataSource } from 'typeorm';
import { dailyPartitionName, ExecutionPartitions, utcDayStart } from '../src/modules/executions/execution-partitions';
import { benchEnv, percentile, round } from './lib/bench-env';
import { api, createBenchWorkflow } from './lib/flowgate-api';
import { benchSecrets, startFlowgate } from './lib/processes';
import { BenchFigure, BenchRun, BenchSection, runWhenMain } from './lib/types';

const DAY_MS = 24 * 3600 * 1000;
const SPAN_DAYS = 60;
const RETENTION_DAYS = 30;

const sizesOf = (v: string | undefined, dflt: number[]) => (v ? v.split(',').map(Number) : dflt);
const fmt = (n: number) => n.toLocaleString('en-US');

/** One row per accepted event, small (no input or steps): the columns the log lists. */
const ROW_SELECT = `gen_random_uuid(), $1::uuid, CASE WHEN g % 3 = 0 THEN $2::uuid END, 'bench', 'webhook',
  (ARRAY['succeeded','succeeded','succeeded','failed','cancelled'])[1 + g % 5], 'bench',
  $3::timestamptz - (g::float8 / $4) * interval '${SPAN_DAYS} days', 1, 12`;
const ROW_COLUMNS = `id, tenant_id, workflow_id, workflow_name, trigger, status, job_id, received_at, attempts, duration_ms`;

/** Row numbers whose received_at ($now - g/N * span) falls in [dayStart, dayEnd). */
function rowsOfDay(now: number, total: number, dayStart: number): [number, number] {
  const span = SPAN_DAYS * DAY_MS;
  const lo = Math.max(1, Math.floor(((now - (dayStart + DAY_MS)) / span) * total));
  const hi = Math.min(total, Math.ceil(((now - dayStart) / span) * total));
  return [lo, hi];
}

/**
 * Fills `executions` with `total` rows over the last 60 days, one daily partition per day
 * (named as the maintenance job names them). Each day is filled as a plain table and then
 * attached, so its indexes are built once rather than row by row: fill time is not a figure.
 */
async function fillPartitioned(ds: DataSource, tenantId: string, workflowId: string, total: number, now: number): Promise<void> {
  for (let day = utcDayStart(now - SPAN_DAYS * DAY_MS); day <= utcDayStart(now); day += DAY_MS) {
    const name = dailyPartitionName(day);
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    const [lo, hi] = rowsOfDay(now, total, day);
    await ds.query(`ALTER TABLE executions DETACH PARTITION ${name}`).catch(() => undefined);
    await ds.query(`DROP TABLE IF EXISTS ${name}`);
    await ds.query(`CREATE TABLE ${name} (LIKE executions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await ds.query(
      `INSERT INTO ${name} (${ROW_COLUMNS}) SELECT * FROM (SELECT ${ROW_SELECT} FROM generate_series($5::int, $6::int) g) r(${ROW_COLUMNS})
       WHERE received_at >= $7 AND received_at < $8`,
      [tenantId, workflowId, new Date(now), total, lo, hi, from, to],
    );
    await ds.query(`ALTER TABLE executions ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
  }
  await ds.query('ANALYZE executions');
}

/** The table as it was before partitioning (same columns, primary key and indexes), for the baseline. */
async function fillUnpartitioned(ds: DataSource, tenantId: string, workflowId: string, total: number, now: number): Promise<void> {
  await ds.query(`DROP TABLE IF EXISTS executions_flat`);
  await ds.query(`CREATE TABLE executions_flat (LIKE executions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  await ds.query(`ALTER TABLE executions_flat ADD PRIMARY KEY (id)`);
  await ds.query(`INSERT INTO executions_flat (${ROW_COLUMNS}) SELECT ${ROW_SELECT} FROM generate_series(1, $5::int) g`, [
    tenantId,
    workflowId,
    new Date(now),
    total,
    total,
  ]);
  for (const sql of [
    `CREATE INDEX ON executions_flat (tenant_id, received_at DESC, id DESC)`,
    `CREATE INDEX ON executions_flat (tenant_id, workflow_id, received_at DESC, id DESC)`,
    `CREATE INDEX ON executions_flat (tenant_id, status, received_at DESC, id DESC)`,
    `CREATE INDEX ON executions_flat (updated_at) WHERE status IN ('queued', 'running')`,
    `CREATE INDEX ON executions_flat (received_at)`,
  ])
    await ds.query(sql);
  await ds.query('ANALYZE executions_flat');
}

/** The retention Flowgate had before partitioning (ExecutionsRepository.pruneBefore), on the unpartitioned copy. */
async function oldRowByRowPrune(ds: DataSource, cutoff: Date, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const res: [unknown[], number] = await ds.query(
      `DELETE FROM executions_flat WHERE id IN (
         SELECT id FROM executions_flat WHERE received_at < $1 AND status IN ('succeeded', 'failed', 'cancelled') LIMIT $2)`,
      [cutoff, batchSize],
    );
    total += res[1];
    if (res[1] < batchSize) return total;
  }
}

const count = async (ds: DataSource, table: string) => Number((await ds.query(`SELECT count(*)::bigint AS n FROM ${table}`))[0].n);

interface SizeResult {
  rows: number;
  fillS: number;
  retentionMs: number;
  dropped: number;
  removed: number;
  p50: number;
  p99: number;
}

interface BaselineResult {
  rows: number;
  fillS: number;
  deleteMs: number;
  removed: number;
}

async function measureSize(
  total: number,
  requests: number,
  baselineRows: number[],
): Promise<{ size: SizeResult; baselines: BaselineResult[] }> {
  const env = await benchEnv(`ret${total}`);
  const flowgate = await startFlowgate({
    ROLE: 'api',
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.prefix,
    ...benchSecrets(),
  });
  const ds = new DataSource({ type: 'postgres', url: env.databaseUrl });
  await ds.initialize();
  try {
    const reg = await api(flowgate.url, 'POST', '/api/auth/register', {
      email: `retention-${Date.now()}@bench.test`,
      password: 'bench-password-1',
      tenantName: 'retention',
    });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status}`);
    const token = reg.body.accessToken as string;
    const tenantId = reg.body.tenant.id as string;
    const workflowId = await createBenchWorkflow(flowgate.url, token, {
      name: 'bench',
      trigger: { type: 'webhook' },
      steps: [{ name: 'shape', type: 'transform', params: { a: '{{trigger.a}}' } }],
    });

    const now = Date.now();
    let started = performance.now();
    await fillPartitioned(ds, tenantId, workflowId, total, now);
    const fillS = (performance.now() - started) / 1000;
    const rows = await count(ds, 'executions');
    process.stdout.write(
      `  ${fmt(rows)} rows in ${(await new ExecutionPartitions(ds).partitions()).length} partitions, filled in ${round(fillS)} s\n`,
    );

    // GET /api/logs first page (50 items) through the real HTTP API, one request at a time.
    for (let i = 0; i < 20; i++) await api(flowgate.url, 'GET', '/api/logs', undefined, token);
    const ms: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t0 = performance.now();
      const res = await api<{ items: unknown[] }>(flowgate.url, 'GET', '/api/logs', undefined, token);
      ms.push(performance.now() - t0);
      if (res.status !== 200 || res.body.items.length !== 50) throw new Error(`GET /api/logs: ${res.status}`);
    }
    ms.sort((a, b) => a - b);

    // Retention through the job's code path: the same method prune-executions calls. A
    // checkpoint first, so neither size's timing includes writing back what its fill left dirty.
    const cutoff = new Date(now - RETENTION_DAYS * DAY_MS);
    await ds.query('CHECKPOINT');
    started = performance.now();
    const report = await new ExecutionPartitions(ds).dropBefore(cutoff);
    const retentionMs = performance.now() - started;
    const removed = rows - (await count(ds, 'executions'));

    const baselines: BaselineResult[] = [];
    for (const b of baselineRows) {
      started = performance.now();
      await fillUnpartitioned(ds, tenantId, workflowId, b, now);
      const bFill = (performance.now() - started) / 1000;
      await ds.query('CHECKPOINT');
      started = performance.now();
      const deleted = await oldRowByRowPrune(ds, cutoff);
      baselines.push({ rows: b, fillS: bFill, deleteMs: performance.now() - started, removed: deleted });
      process.stdout.write(`  baseline ${fmt(b)} rows: filled in ${round(bFill)} s, row-by-row DELETE of ${fmt(deleted)} rows\n`);
      await ds.query(`DROP TABLE executions_flat`);
    }
    return {
      size: { rows, fillS, retentionMs, dropped: report.droppedPartitions, removed, p50: percentile(ms, 50), p99: percentile(ms, 99) },
      baselines,
    };
  } finally {
    await ds.destroy();
    await flowgate.stop();
    await env.cleanup();
  }
}

export const run: BenchRun = async (): Promise<BenchSection> => {
  const [small, large] = sizesOf(process.env.BENCH_RETENTION_SIZES, [50_000, 5_000_000]);
  const baselineRows = sizesOf(process.env.BENCH_RETENTION_BASELINE_SIZES, [50_000, 500_000]);
  const requests = Number(process.env.BENCH_RETENTION_REQUESTS ?? 200);
  // The baseline runs beside the small size (its own table in the same database).
  const a = await measureSize(small, requests, baselineRows);
  const b = await measureSize(large, requests, []);
  const ratio = b.size.retentionMs / a.size.retentionMs;
  const latencyRatio = b.size.p50 / a.size.p50;
  const figures: BenchFigure[] = [
    {
      name: `Retention (drop the oldest ${RETENTION_DAYS} days), ${fmt(a.size.rows)} rows`,
      flowgate: round(a.size.retentionMs),
      unit: 'ms',
      baseline: round(a.baselines[0]?.deleteMs ?? NaN),
      note: `${a.size.dropped} partitions dropped, ${fmt(a.size.removed)} rows gone; baseline: old row-by-row DELETE on an unpartitioned copy of ${fmt(a.baselines[0]?.rows ?? 0)} rows`,
    },
    {
      name: `Retention (drop the oldest ${RETENTION_DAYS} days), ${fmt(b.size.rows)} rows`,
      flowgate: round(b.size.retentionMs),
      unit: 'ms',
      baseline: a.baselines[1] ? `${round(a.baselines[1].deleteMs)} (at ${fmt(a.baselines[1].rows)} rows)` : undefined,
      target: `≤ 3× the ${fmt(a.size.rows)}-row time`,
      pass: ratio <= 3,
      note: `${b.size.dropped} partitions dropped, ${fmt(b.size.removed)} rows gone; ratio ${round(ratio, 2)}× for ${round(b.size.rows / a.size.rows)}× the rows; the row-by-row baseline is not run at this size (too slow)`,
    },
    {
      name: `GET /api/logs first page p50 / p99, ${fmt(a.size.rows)} rows`,
      flowgate: `${round(a.size.p50, 2)} / ${round(a.size.p99, 2)}`,
      unit: 'ms',
    },
    {
      name: `GET /api/logs first page p50 / p99, ${fmt(b.size.rows)} rows`,
      flowgate: `${round(b.size.p50, 2)} / ${round(b.size.p99, 2)}`,
      unit: 'ms',
      target: `p50 ≤ 2× the ${fmt(a.size.rows)}-row p50`,
      pass: latencyRatio <= 2,
      note: `p50 ratio ${round(latencyRatio, 2)}×`,
    },
  ];
  const extra = [
    '| Fill (not a figure) | rows | seconds |',
    '| --- | ---: | ---: |',
    `| partitioned, daily partitions filled then attached | ${fmt(a.size.rows)} | ${round(a.size.fillS)} |`,
    `| partitioned, daily partitions filled then attached | ${fmt(b.size.rows)} | ${round(b.size.fillS)} |`,
    ...a.baselines.map((x) => `| unpartitioned copy (baseline) | ${fmt(x.rows)} | ${round(x.fillS)} |`),
    '',
    'Baseline retention (the DELETE Flowgate ran before partitioning, 5,000 rows a statement, same indexes as the old table):',
    '',
    '| rows | rows deleted | ms |',
    '| ---: | ---: | ---: |',
    ...a.baselines.map((x) => `| ${fmt(x.rows)} | ${fmt(x.removed)} | ${round(x.deleteMs)} |`),
  ].join('\n');
  return {
    title: 'Executions retention and logs by table size',
    method:
      `A fresh database per size, migrated; Flowgate started with ROLE=api; one tenant and one workflow created through the API. ` +
      `\`executions\` is filled with ${fmt(a.size.rows)} and then ${fmt(b.size.rows)} rows spread evenly over the last ${SPAN_DAYS} days ` +
      `(one daily partition per day, rows without input or steps; a third of them carry the workflow id). ` +
      `Logs: ${requests} sequential \`GET /api/logs\` (first page, 50 items, default filters) through HTTP after 20 warm-up requests. ` +
      `Retention: \`ExecutionPartitions.dropBefore(now − ${RETENTION_DAYS} days)\`, the method the \`prune-executions\` job calls, timed once after a CHECKPOINT (so no size pays for writing back its fill). ` +
      `Baseline: the pre-partitioning retention (batched \`DELETE … WHERE id IN (SELECT … LIMIT 5000)\`) on an unpartitioned copy with the old indexes, ` +
      `at ${baselineRows.map(fmt).join(' and ')} rows (not at ${fmt(b.size.rows)}: it would take far longer than the whole bench). Single runs on a shared machine: wall-clock figures are noisy.`,
    figures,
    extra,
  };
};

runWhenMain(module, run);
