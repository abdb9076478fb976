import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { RedisOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { createRedisClient, RedisClient } from './redis-client.factory';
import { bullConnectionFor } from './redis-connection';
import { kvKeyPrefix } from './redis-topology';

/**
 * The shared Redis client for caches, rate limits and idempotency keys: a fail-fast `command`
 * connection (redis-client.factory.ts), so callers can degrade or answer 503 while Redis is
 * away instead of hanging. Every key it writes lives under the run's prefix (tests clean up by
 * it; on a Redis Cluster under the hash tag `{<prefix>:kv}`, redis-topology.ts). It is a
 * `Cluster` with REDIS_CLUSTER_NODES: the same command API.
 */
export const REDIS = Symbol('REDIS');

/** BullMQ's connection (bullConnectionFor): options, or the deployment's shared `Cluster`. */
export const BULL_CONNECTION = Symbol('BULL_CONNECTION');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(BULL_CONNECTION) private readonly bull: RedisOptions | Cluster,
  ) {}
  async onApplicationShutdown() {
    const clients: RedisClient[] = [this.redis];
    if (this.bull instanceof Cluster) clients.push(this.bull);
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createRedisClient(config.redis, 'command', {
          connectionName: `flowgate-${config.role}`,
          keyPrefix: kvKeyPrefix(config.queue.prefix),
        }),
    },
    { provide: BULL_CONNECTION, inject: [APP_CONFIG], useFactory: (config: AppConfig) => bullConnectionFor(config.redis) },
    RedisCloser,
  ],
  exports: [REDIS, BULL_CONNECTION],
})
export class RedisModule {}
