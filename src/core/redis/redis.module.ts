import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import './ioredis-disconnect-fix';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from './redis-url';

export const REDIS = Symbol('REDIS');

/**
 * The shared Redis client for caches, rate limits and idempotency keys. It fails fast
 * (no offline queue, one retry) so that callers can degrade or answer 503 while Redis is
 * away instead of hanging. BullMQ keeps its own connections.
 */
export function createRedisClient(url: string, name: string, keyPrefix?: string): Redis {
  const client = new Redis({
    ...redisOptionsFromUrl(url),
    connectionName: name,
    // Every key this client writes lives under the run's prefix (tests clean up by it).
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => undefined); // reported through health checks, not as crashes
  return client;
}

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
      useFactory: (config: AppConfig) => createRedisClient(config.redis.url, `flowgate-${config.role}`, `${config.queue.prefix}:kv:`),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
