import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { JobSchedulerTemplateOptions, JobsOptions, Queue, RepeatOptions } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { bullConnection } from '../redis/redis-connection';
import { JobData, JobName, QUEUES, QueueKey } from './queue.registry';
import { settlesWithin } from '../async/deadline';
import { bullRedisAway } from './redis-away';
import { SchedulerKeeper } from './scheduler-keeper.service';

const queueKeys = Object.keys(QUEUES) as QueueKey[];

/** Typed access to every queue: `queues.add('executions', 'run', payload, opts)`. */
@Injectable()
export class QueueService implements BeforeApplicationShutdown {
  private readonly byKey: Record<QueueKey, Queue>;

  constructor(
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
    return queueKeys.map((k) => [k, this.byKey[k]]);
  }

  add<Q extends QueueKey, N extends JobName<Q>>(key: Q, name: N, data: JobData<Q, N>, opts?: JobsOptions) {
    return this.byKey[key].add(name, data, opts);
  }

  /** Creates or updates the job scheduler `id` (BullMQ repeat: every/offset or cron pattern/tz). */
  upsertScheduler<Q extends QueueKey, N extends JobName<Q>>(
    key: Q,
    id: string,
    repeat: Omit<RepeatOptions, 'key'>,
    template: { name: N; data: JobData<Q, N>; opts?: JobSchedulerTemplateOptions },
  ) {
    return this.byKey[key].upsertJobScheduler(id, repeat, template);
  }

  removeScheduler(key: QueueKey, id: string): Promise<boolean> {
    return this.byKey[key].removeJobScheduler(id);
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

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: bullConnection(config.redis.url),
        prefix: config.queue.prefix,
        defaultJobOptions: { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
      }),
    }),
    BullModule.registerQueue(...queueKeys.map((k) => ({ name: QUEUES[k] }))),
  ],
  providers: [QueueService, SchedulerKeeper],
  exports: [QueueService, SchedulerKeeper, BullModule],
})
export class QueueModule {}
