import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { RedisOptions } from 'bullmq';
import type { Cluster } from 'ioredis';
import { BULL_CONNECTION } from '../redis/redis.module';
import { JobHandlersCheck } from './job-handlers.check';
import { QUEUE_KEYS, QUEUES } from './queue.registry';
import { QueueService } from './queue.service';
import { SchedulerKeeper } from './scheduler-keeper.service';

export { QueueService } from './queue.service';
export type { BulkJob } from './queue.service';

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      // On a Redis Cluster the connection is one shared `Cluster` and the prefix is hash-tagged (redis-topology.ts).
      inject: [APP_CONFIG, BULL_CONNECTION],
      useFactory: (config: AppConfig, connection: RedisOptions | Cluster) => ({
        connection,
        prefix: config.queue.prefix,
        defaultJobOptions: { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } },
      }),
    }),
    BullModule.registerQueue(...QUEUE_KEYS.map((k) => ({ name: QUEUES[k] }))),
    DiscoveryModule,
  ],
  providers: [QueueService, SchedulerKeeper, JobHandlersCheck],
  exports: [QueueService, SchedulerKeeper, BullModule],
})
export class QueueModule {}
