import { Job, JobsOptions, Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-client.factory';
import { enqueueWithin, queueUnavailable } from './enqueue-within';
import { JobData, JobName, QUEUES, QueueKey } from './queue.registry';

export interface FailFastOptions {
  /** The fail-fast connection the adds go through (no offline queue: a command never waits for Redis). */
  connection: RedisClient;
  prefix: string;
  /** Deadline of each add. */
  timeoutMs: number;
  /** The 503's message when an add is refused. */
  message: string;
}

/**
 * Adds to one queue for a request path: typed like QueueService.add, but on a connection that
 * fails fast, refused at once when that connection is not up and bounded by a deadline
 * otherwise, so a request never waits on a Redis that is away (503 QUEUE_UNAVAILABLE) and a
 * resolved add always means the job is stored. A dedicated connection also keeps ingest adds
 * from queueing behind the workers' blocking commands.
 */
export class FailFastProducer<Q extends QueueKey> {
  private readonly queue: Queue;

  constructor(
    key: Q,
    private readonly options: FailFastOptions,
  ) {
    this.queue = new Queue(QUEUES[key], { connection: options.connection, prefix: options.prefix });
    // Errors reach the caller of each add; readiness reports the outage.
    this.queue.on('error', () => undefined);
  }

  add<N extends JobName<Q>>(name: N, data: JobData<Q, N>, opts?: JobsOptions): Promise<Job> {
    const { connection, timeoutMs, message } = this.options;
    if (connection.status !== 'ready') return Promise.reject(queueUnavailable(message, `Redis connection is ${connection.status}`));
    return enqueueWithin(() => this.queue.add(name, data, opts), { ms: timeoutMs, message });
  }

  close(): Promise<void> {
    return this.queue.close().catch(() => undefined);
  }
}
