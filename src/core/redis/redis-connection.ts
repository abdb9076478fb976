import type { RedisOptions } from 'bullmq';
import type { Cluster } from 'ioredis';
import { createRedisClient, redisClientOptions, redisRetryDelay } from './redis-client.factory';
import { RedisTarget } from './redis-topology';

/**
 * Turns REDIS_URL into ioredis options for BullMQ (which needs `maxRetriesPerRequest: null`):
 * the factory's `bullmq` kind, typed as BullMQ declares its connection options. With a Sentinel
 * topology the options name the sentinels and the master group.
 */
export function bullConnection(target: string | RedisTarget): RedisOptions {
  return { ...redisClientOptions(target, 'bullmq'), retryStrategy: redisRetryDelay };
}

/**
 * BullMQ's connection for a deployment: options (BullMQ opens and closes its own connections)
 * or, on a Redis Cluster, a `Cluster` of the `bullmq` kind, which BullMQ shares between queues
 * and duplicates for each worker's blocking connection. The caller closes a Cluster it got.
 */
export function bullConnectionFor(target: RedisTarget): RedisOptions | Cluster {
  if (target.topology?.kind === 'cluster') return createRedisClient(target, 'bullmq') as Cluster;
  return bullConnection(target);
}
