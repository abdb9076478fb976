import type { RedisOptions } from 'bullmq';
import './ioredis-disconnect-fix';
import { redisOptionsFromUrl } from './redis-url';

/** Turns REDIS_URL into ioredis options for BullMQ (which needs `maxRetriesPerRequest: null`). */
export function bullConnection(url: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(url),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}
