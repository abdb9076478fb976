import Redis from 'ioredis';
import { dropDatabase } from '../../src/core/database/ensure-database';
import { redisOptionsFromUrl } from '../../src/core/redis/redis-url';
import { deleteKeysWithPrefix } from './redis-cleanup';
import { testRedisUrl } from './run-env';

export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DB !== '1' && process.env.DATABASE_URL?.includes('flowgate_test_')) {
    await dropDatabase(process.env.DATABASE_URL);
  }
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix?.startsWith('fgt-')) {
    const redis = new Redis({ ...redisOptionsFromUrl(testRedisUrl()), maxRetriesPerRequest: 1 });
    try {
      await deleteKeysWithPrefix(redis, prefix);
    } finally {
      redis.disconnect();
    }
  }
}
