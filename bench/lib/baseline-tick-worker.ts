import { runBareWorker } from './bare-worker';

/**
 * Schedules baseline: a bare BullMQ worker recording each job-scheduler tick (its scheduler id
 * and planned instant, from the job id `repeat:<id>:<millis>`) with one INSERT.
 */
runBareWorker(async (job, pool) => {
  const m = /^repeat:(.+):(\d+)$/.exec(job.id ?? '');
  if (!m) return;
  await pool.query('INSERT INTO baseline_ticks (sid, scheduled_for) VALUES ($1, $2)', [m[1], new Date(Number(m[2]))]);
});
