import type { RedisOptions } from 'bullmq';
import { redisClientOptions, redisRetryDelay } from './redis-client.factory';

/**
 * Turns REDIS_URL into ioredis options for BullMQ (which needs `maxRetriesPerRequest: null`):
 * the factory's `bullmq` kind, typed as BullMQ declares its connection options.
 */
export function bullConnection(url: string): RedisOptions {
  return { ...redisClientOptions(url, 'bullmq'), retryStrategy: redisRetryDelay };
}
