import { Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Cluster } from 'ioredis';
import type { RedisClient } from '../redis/redis-client.factory';

type Record = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Redis-backed throttling shared by replicas; per-process memory while Redis is away. */
export class FaultTolerantThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttler');
  private readonly redisStorage: ThrottlerStorageRedisService;
  private readonly memory = new ThrottlerStorageService();
  private degraded = false;

  constructor(redis: RedisClient) {
    // Its script's two keys share our key prefix's hash tag, so it runs on a Redis Cluster too.
    this.redisStorage = redis instanceof Cluster ? new ThrottlerStorageRedisService(redis) : new ThrottlerStorageRedisService(redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<Record> {
    try {
      const r = await this.redisStorage.increment(key, ttl, limit, blockDuration, name);
      this.degraded = false;
      return r;
    } catch {
      if (!this.degraded) this.logger.warn('Redis unavailable: throttling per process');
      this.degraded = true;
      return this.memory.increment(key, ttl, limit, blockDuration, name);
    }
  }

  onApplicationShutdown() {
    this.memory.onApplicationShutdown();
  }
}
