import { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { bullConnection } from '../src/core/redis/redis-connection';
import { benchEnv, round } from './lib/bench-env';
import { api, registerBenchTenant } from './lib/flowgate-api';
import { benchSecrets, Child, startFlowgate, startScript } from './lib/processes';
import { START_FLAGS } from './lib/node-runtime';
import { BenchRun, runWhenMain } from './lib/types';

const SCHEDULES = Number(process.env.SCHEDULES ?? 10_000);
const INTERVAL_SECONDS = 60;
const ROUNDS = Number(process.env.SCHEDULE_ROUNDS ?? 2);
const CREATORS = 20;

interface TickStats {
  expected: number;
  rows: number;
  duplicates: number;
  workflowsWithWrongCount: number;
  p50: number;
  p99: number;
  max: number;
}

/** Lateness and exactly-once over the window, from (schedule id, planned tick, started) rows. */
async function tickStats(
  db: Client,
  table: string,
  idCol: string,
  fromMs: number,
  toMs: number,
  expectedPerSchedule: number,
): Promise<TickStats> {
  const from = new Date(fromMs);
  const to = new Date(toMs);
  const r = await db.query(
    `WITH w AS (SELECT ${idCol} AS sid, scheduled_for, started_at FROM ${table} WHERE scheduled_for >= $1 AND scheduled_for < $2)
     SELECT (SELECT count(*)::int FROM w) AS rows,
            (SELECT count(*)::int FROM (SELECT sid, scheduled_for FROM w GROUP BY 1, 2 HAVING count(*) > 1) d) AS duplicates,
            (SELECT count(*)::int FROM (SELECT sid FROM w GROUP BY 1 HAVING count(*) <> $3) x) AS wrong,
            (SELECT count(DISTINCT sid)::int FROM w) AS schedules,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - scheduled_for) * 1000) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - scheduled_for) * 1000) AS p99,
            max(extract(epoch FROM started_at - scheduled_for) * 1000) AS max
     FROM w`,
    [from, to, expectedPerSchedule],
  );
  const x = r.rows[0];
  return {
    expected: SCHEDULES * expectedPerSchedule,
    rows: x.rows,
    duplicates: x.duplicates,
    // schedules with no row at all in the window are missing ticks too
    workflowsWithWrongCount: x.wrong + (SCHEDULES - x.schedules),
    p50: round(Number(x.p50), 1),
    p99: round(Number(x.p99), 1),
    max: round(Number(x.max), 1),
  };
}

/**
 * SCHEDULES workflows, each "every 60 s", created through the API while one worker process
 * runs; after the last one exists, a window of ROUNDS full minutes is observed: every schedule
 * must fire exactly ROUNDS times in it (no tick lost, none doubled), and lateness is the time
 * from a tick's planned instant to its execution row being started. Beside it, in the same run,
 * the baseline: the same number of bare BullMQ job schedulers (every 60 s, spread the same way)
 * drained by a bare worker recording each tick with one INSERT.
 */
export const run: BenchRun = async () => {
  const env = await benchEnv('schedules');
  const secrets = benchSecrets();
  const db = new Client({ connectionString: env.databaseUrl });
  await db.connect();
  const children: Child[] = [];
  let worker: Child | undefined;
  let baseWorker: Child | undefined;
  let flowgate: TickStats | undefined;
  let baseline: TickStats | undefined;
  let createSeconds = NaN;
  let baseQueue: Queue | undefined;
  try {
    const common = { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: `${env.prefix}-fg`, ...secrets };
    worker = await startFlowgate({ ...common, ROLE: 'worker', EXECUTION_CONCURRENCY: '50' });
    children.push(worker);
    const apiProc = await startFlowgate({ ...common, ROLE: 'api' });
    children.push(apiProc);

    // baseline: bare job schedulers + a bare worker recording (job id, planned tick, start)
    await db.query(
      `CREATE TABLE baseline_ticks (id bigserial PRIMARY KEY, sid text NOT NULL, scheduled_for timestamptz NOT NULL, started_at timestamptz NOT NULL DEFAULT now())`,
    );
    const basePrefix = `${env.prefix}-base`;
    baseWorker = await startScript('baseline-tick-worker.js', {
      REDIS_URL: env.redisUrl,
      DATABASE_URL: env.databaseUrl,
      QUEUE_PREFIX: basePrefix,
      CONCURRENCY: '50',
    });
    children.push(baseWorker);
    baseQueue = new Queue('executions', { connection: bullConnection(env.redisUrl), prefix: basePrefix });

    const token = await registerBenchTenant(apiProc.url, 'schedules');
    const started = performance.now();
    let next = 0;
    const creator = async () => {
      for (;;) {
        const i = next++;
        if (i >= SCHEDULES) return;
        const res = await api(
          apiProc.url,
          'POST',
          '/api/workflows',
          {
            name: `tick ${i}`,
            trigger: { type: 'schedule', intervalSeconds: INTERVAL_SECONDS },
            steps: [{ name: 'shape', type: 'transform', params: { tick: '{{trigger.scheduledFor}}', n: i } }],
          },
          token,
        );
        if (res.status !== 201) throw new Error(`create ${i}: ${res.status} ${JSON.stringify(res.body)}`);
        const sid = `base-${i}`;
        const offset = 1 + (createHash('sha1').update(sid).digest().readUInt32BE(0) % (INTERVAL_SECONDS * 1000 - 1));
        await baseQueue!.upsertJobScheduler(sid, { every: INTERVAL_SECONDS * 1000, offset }, { name: 'tick', data: {} });
      }
    };
    await Promise.all(Array.from({ length: CREATORS }, creator));
    createSeconds = (performance.now() - started) / 1000;
    await apiProc.stop();

    // observe whole minutes that start after every schedule exists
    const windowStart = Date.now() + 1000;
    const windowEnd = windowStart + ROUNDS * INTERVAL_SECONDS * 1000;
    await new Promise((r) => setTimeout(r, windowEnd - Date.now() + 10_000)); // + time for the last ticks to be recorded

    flowgate = await tickStats(
      db,
      `(SELECT workflow_id::text AS sid, scheduled_for, started_at FROM executions WHERE trigger = 'schedule') AS t`,
      'sid',
      windowStart,
      windowEnd,
      ROUNDS,
    );
    baseline = await tickStats(db, 'baseline_ticks', 'sid', windowStart, windowEnd, ROUNDS);
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    await baseQueue?.close();
    await db.end();
    await env.cleanup();
  }

  const f = flowgate!;
  const b = baseline!;
  // Peak RSS of the two workers over the whole run (recorded when they were stopped).
  const rssMb = { flowgate: worker!.peakRssMb(), baseline: baseWorker!.peakRssMb(), note: 'worker' };
  const exactlyOnce = (s: TickStats) => s.rows === s.expected && s.duplicates === 0 && s.workflowsWithWrongCount === 0;
  return {
    title: 'Schedules',
    method:
      `${SCHEDULES} workflows "every ${INTERVAL_SECONDS} s" (one transform step) created through POST /api/workflows (${CREATORS} at a time, ${round(createSeconds, 1)} s) with one ROLE=worker process (EXECUTION_CONCURRENCY=50, npm start's node flags \`${START_FLAGS.join(' ')}\`) running; ` +
      `interval schedules are spread over the minute by a stable per-workflow offset. Then a ${ROUNDS}-minute window is observed: each schedule must have exactly ${ROUNDS} executions whose planned tick falls in it. ` +
      `Lateness: execution row started minus planned tick. Baseline in the same run: ${SCHEDULES} bare BullMQ job schedulers (same interval and spreading) drained by a bare worker doing one INSERT per tick (bench/lib/baseline-tick-worker.ts).`,
    figures: [
      {
        name: 'ticks recorded / expected',
        flowgate: `${f.rows} / ${f.expected}`,
        baseline: `${b.rows} / ${b.expected}`,
        target: 'every tick exactly once',
        pass: exactlyOnce(f),
        rssMb,
      },
      { name: 'doubled ticks', flowgate: f.duplicates, baseline: b.duplicates, target: '0', pass: f.duplicates === 0, rssMb },
      {
        name: 'schedules with a missing or extra tick',
        flowgate: f.workflowsWithWrongCount,
        baseline: b.workflowsWithWrongCount,
        target: '0',
        pass: f.workflowsWithWrongCount === 0,
        rssMb,
      },
      { name: 'lateness p50', flowgate: f.p50, baseline: b.p50, unit: 'ms', rssMb },
      { name: 'lateness p99', flowgate: f.p99, baseline: b.p99, unit: 'ms', target: '< 1000 ms', pass: f.p99 < 1000, rssMb },
      { name: 'lateness max', flowgate: f.max, baseline: b.max, unit: 'ms', rssMb },
    ],
  };
};

runWhenMain(module, run);
