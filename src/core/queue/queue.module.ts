import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { bullConnection } from '../redis/redis-connection';
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
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: bullConnection(config.redis.url),
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
