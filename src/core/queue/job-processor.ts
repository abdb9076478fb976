import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import 'reflect-metadata';
import { AppConfig } from '../config/app-config';
import { JobData, JobName, jobNamesOf, QUEUES, QueueKey } from './queue.registry';
import { bullRedisAway } from './redis-away';
import { queuesThisHostRuns } from './worker-queues';

const JOB_QUEUE = Symbol('job-queue');

/** A job of queue Q named N, its data typed by the registry. */
export type JobOf<Q extends QueueKey, N extends JobName<Q>> = Job<JobData<Q, N>, unknown, N>;
export type JobHandler<Q extends QueueKey, N extends JobName<Q>> = (job: JobOf<Q, N>, token?: string) => Promise<unknown>;
/** Exactly one handler per job name of the queue: the compiler refuses a missing or unknown name. */
export type JobHandlers<Q extends QueueKey> = { [N in JobName<Q>]: JobHandler<Q, N> };

/**
 * Declares the processor of `key`'s queue. Its worker never starts by itself (`autorun: false`):
 * JobProcessor starts it on hosts that run the queue.
 */
export function QueueProcessor<Q extends QueueKey>(key: Q) {
  return (target: abstract new (...args: never[]) => JobProcessor<Q>): void => {
    Reflect.defineMetadata(JOB_QUEUE, key, target);
    Processor(QUEUES[key], { autorun: false })(target);
  };
}

/**
 * Base of every processor: jobs are dispatched by name to `handlers` (one per job name of the
 * registry, checked at start by JobHandlersCheck); a job name without a handler fails the job
 * for good (UnrecoverableError) and is logged, never skipped silently. The worker runs only on a
 * host that runs this queue (ROLE worker or all, and WORKER_QUEUES), with the configured
 * concurrency. At shutdown it closes the worker before Nest's own close does.
 */
export abstract class JobProcessor<Q extends QueueKey> extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected abstract readonly config: AppConfig;
  protected abstract readonly handlers: JobHandlers<Q>;
  protected abstract concurrency(): number;

  private lastErrorLog = 0;

  /** The queue this processor was declared for (@QueueProcessor). */
  get queueKey(): Q {
    const key = Reflect.getMetadata(JOB_QUEUE, this.constructor) as Q | undefined;
    if (!key) throw new Error(`${this.constructor.name} is not declared with @QueueProcessor`);
    return key;
  }

  handledJobNames(): string[] {
    return Object.keys(this.handlers);
  }

  /** Whether this host takes jobs from this processor's queue. */
  get running(): boolean {
    return queuesThisHostRuns(this.config).includes(this.queueKey);
  }

  process(job: Job, token?: string): Promise<unknown> {
    return this.dispatch(job, token);
  }

  protected dispatch(job: Job, token?: string): Promise<unknown> {
    const handler = Object.hasOwn(this.handlers, job.name) ? (this.handlers[job.name as JobName<Q>] as JobHandler<Q, JobName<Q>>) : null;
    if (!handler) {
      const queue = QUEUES[this.queueKey];
      const message = `No handler for job "${job.name}" on queue "${queue}" (handled: ${jobNamesOf(this.queueKey).join(', ')})`;
      new Logger(this.constructor.name).error({ queue, jobId: job.id, jobName: job.name }, message);
      return Promise.reject(new UnrecoverableError(message));
    }
    return handler(job as JobOf<Q, JobName<Q>>, token);
  }

  onApplicationBootstrap(): void {
    // Connection errors while Redis is away are reported by readiness; log them at most every 10 s.
    const logger = new Logger(this.constructor.name);
    this.worker.on('error', (err: Error) => {
      if (Date.now() - this.lastErrorLog < 10_000) return;
      this.lastErrorLog = Date.now();
      logger.warn({ err }, 'Queue worker error');
    });
    if (!this.running) return;
    this.worker.concurrency = this.concurrency();
    void this.worker.run().catch(() => undefined);
  }

  /**
   * A graceful close lets running jobs finish. With this worker's Redis connection down it
   * could never finish (BullMQ waits for commands that are only re-sent once Redis is back),
   * and nothing a running job does could be saved anyway: close at once instead; the jobs'
   * locks expire and a live worker takes them over (stalled-job recovery).
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (await bullRedisAway(this.worker.getBackend().client)) return this.worker.close(true);
    await this.drain(this.worker.close());
  }

  /** Waits for the graceful close; processors with long jobs bound it. */
  protected async drain(closing: Promise<void>): Promise<void> {
    await closing;
  }
}
