import { runBareWorker } from './bare-worker';

/**
 * End-to-end baseline: a bare BullMQ worker on the same queue settings, doing one PostgreSQL
 * insert per job and nothing else (no workflow, templates, HTTP call or execution bookkeeping).
 */
runBareWorker(
  async (job, pool) => {
    await pool.query('INSERT INTO baseline_runs (id, payload) VALUES ($1, $2)', [job.id, JSON.stringify(job.data)]);
  },
  Number(process.env.POOL_SIZE ?? 10),
);
