import { Job, Worker } from 'bullmq';
import { createServer } from 'node:http';
import { Pool } from 'pg';

/**
 * The process shell of a baseline worker: a bare BullMQ worker on the executions queue (the
 * run's REDIS_URL, QUEUE_PREFIX and CONCURRENCY) whose job body is `handle`, a readiness answer
 * on PORT, and a clean stop on SIGTERM. Nothing of Flowgate's.
 */
export function runBareWorker(handle: (job: Job, pool: Pool) => Promise<void>, poolSize = 10): void {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: poolSize });
  const worker = new Worker('executions', (job) => handle(job, pool), {
    connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
    prefix: process.env.QUEUE_PREFIX ?? 'baseline',
    concurrency: Number(process.env.CONCURRENCY ?? 50),
    removeOnComplete: { age: 3600, count: 1000 },
  });
  worker.on('error', () => undefined);

  const server = createServer((_req, res) => res.end('ok'));
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close();
    void worker
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}
