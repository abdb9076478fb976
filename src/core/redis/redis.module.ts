import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { createRedisClient } from './redis-client.factory';

/**
 * The shared Redis client for caches, rate limits and idempotency keys: a fail-fast `command`
 * connection (redis-client.factory.ts), so callers can degrade or answer 503 while Redis is
 * away instead of hanging. Every key it writes lives under the run's prefix (tests clean up by
 * it). BullMQ keeps its own connections.
 */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createRedisClient(config.redis.url, 'command', {
          connectionName: `flowgate-${config.role}`,
          keyPrefix: `${config.queue.prefix}:kv:`,
        }),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
