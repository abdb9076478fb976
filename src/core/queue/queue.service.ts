import { getQueueToken } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-client.factory';
import { settlesWithin } from '../async/deadline';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EnqueueDeadline, enqueueWithin } from './enqueue-within';
import { FailFastProducer } from './fail-fast-producer';
import { JobData, JobName, QUEUE_KEYS, QUEUES, QueueKey } from './queue.registry';
import { bullRedisAway } from './redis-away';
import { Repeat, SchedulerTemplate, SchedulerWriter } from './static-schedulers';

/** One job of a typed bulk add. */
export type BulkJob<Q extends QueueKey> = { [N in JobName<Q>]: { name: N; data: JobData<Q, N>; opts?: JobsOptions } }[JobName<Q>];

/**
 * The one job API: every enqueue and every job scheduler goes through here, typed by the
 * registry (`queues.add('executions', 'run', payload, opts)`); the `…Within` variants bound the
 * wait for Redis and answer 503 QUEUE_UNAVAILABLE past it.
 */
@Injectable()
export class QueueService implements BeforeApplicationShutdown, SchedulerWriter {
  private readonly byKey: Record<QueueKey, Queue>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(getQueueToken(QUEUES.executions)) executions: Queue,
    @Inject(getQueueToken(QUEUES.maintenance)) maintenance: Queue,
    @Inject(getQueueToken(QUEUES.companySync)) companySync: Queue,
    @Inject(getQueueToken(QUEUES.tokenRefresh)) tokenRefresh: Queue,
  ) {
    this.byKey = { executions, maintenance, companySync, tokenRefresh };
    // Without a listener BullMQ prints every connection error to stderr; readiness already
    // reports Redis outages, so log the first error of an outage once.
    for (const [key, q] of this.all()) {
      let quietUntil = 0;
      q.on('error', (e: Error) => {
        if (Date.now() < quietUntil) return;
        quietUntil = Date.now() + 30_000;
        this.logger.warn({ queue: QUEUES[key], err: e }, 'Queue error');
      });
    }
  }

  private readonly logger = new Logger(QueueService.name);

  queue(key: QueueKey): Queue {
    return this.byKey[key];
  }

  all(): Array<[QueueKey, Queue]> {
    return QUEUE_KEYS.map((k) => [k, this.byKey[k]]);
  }

  add<Q extends QueueKey, N extends JobName<Q>>(key: Q, name: N, data: JobData<Q, N>, opts?: JobsOptions): Promise<Job> {
    return this.byKey[key].add(name, data, opts);
  }

  addBulk<Q extends QueueKey>(key: Q, jobs: Array<BulkJob<Q>>): Promise<Job[]> {
    return this.byKey[key].addBulk(jobs);
  }

  /** `add` for a request path: 503 QUEUE_UNAVAILABLE (with `within.message`) when Redis does not store it within `within.ms`. */
  addWithin<Q extends QueueKey, N extends JobName<Q>>(
    within: EnqueueDeadline,
    key: Q,
    name: N,
    data: JobData<Q, N>,
    opts?: JobsOptions,
  ): Promise<Job> {
    return enqueueWithin(() => this.add(key, name, data, opts), within);
  }

  addBulkWithin<Q extends QueueKey>(within: EnqueueDeadline, key: Q, jobs: Array<BulkJob<Q>>): Promise<Job[]> {
    return enqueueWithin(() => this.addBulk(key, jobs), within);
  }

  /** The default enqueue deadline (ENQUEUE_TIMEOUT_MS) with the caller's 503 message. */
  deadline(message: string, ms = this.config.webhooks.enqueueTimeoutMs): EnqueueDeadline {
    return { ms, message };
  }

  /**
   * A fail-fast handle on `key` over `connection` (see FailFastProducer), for request paths
   * that must never wait on Redis. The caller owns it and closes it at shutdown.
   */
  producer<Q extends QueueKey>(key: Q, connection: RedisClient, within: EnqueueDeadline): FailFastProducer<Q> {
    return new FailFastProducer(key, { connection, prefix: this.config.queue.prefix, timeoutMs: within.ms, message: within.message });
  }

  /** Creates or updates the job scheduler `id` (BullMQ repeat: every/offset or cron pattern/tz). */
  upsertScheduler<Q extends QueueKey, N extends JobName<Q>>(key: Q, id: string, repeat: Repeat, template: SchedulerTemplate<Q, N>) {
    return this.byKey[key].upsertJobScheduler(id, repeat, template);
  }

  /**
   * Adds the job scheduler `id` only when it is missing: re-upserting an existing `every`
   * scheduler would move its next run, so a periodic check must not touch schedulers that are there.
   */
  async ensureScheduler<Q extends QueueKey, N extends JobName<Q>>(
    key: Q,
    id: string,
    repeat: Repeat,
    template: SchedulerTemplate<Q, N>,
  ): Promise<boolean> {
    if (await this.byKey[key].getJobScheduler(id)) return false;
    await this.upsertScheduler(key, id, repeat, template);
    return true;
  }

  removeScheduler(key: QueueKey, id: string): Promise<boolean> {
    return this.byKey[key].removeJobScheduler(id);
  }

  /** At most `n` jobs of the queue run at once across all workers. */
  setGlobalConcurrency(key: QueueKey, n: number): Promise<number> {
    return this.byKey[key].setGlobalConcurrency(n);
  }

  /**
   * Nest closes each queue with QUIT, which ioredis holds back until Redis is back whenever
   * commands are waiting offline: with Redis away at shutdown that would never end. Drop
   * those connections first; the commands waiting in them fail, as they would anyway.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.all().map(async ([, q]) => {
        if (await bullRedisAway(q.getBackend().client)) await settlesWithin(q.disconnect(), 2000);
      }),
    );
  }

  /** Waiting/active/delayed/failed counts per queue, for health and metrics. */
  async counts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    await Promise.all(
      this.all().map(async ([key, q]) => {
        out[QUEUES[key]] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      }),
    );
    return out;
  }
}
