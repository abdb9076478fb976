import Redis from 'ioredis';
import { redisOptionsFromUrl } from '../src/core/redis/redis-url';
import { deleteKeysWithPrefix } from './support/redis-cleanup';
import { FlowgateProcess, spawnFlowgate } from './support/spawn-flowgate';
import { waitFor } from './support/wait-for';

async function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

describe('REDIS_URL options (compiled service)', () => {
  it('every connection, BullMQ included, uses the database the URL names (with ?family=0 accepted)', async () => {
    const prefix = `${process.env.QUEUE_PREFIX}-rurl`;
    const url = new URL(process.env.REDIS_URL!);
    url.pathname = '/9';
    url.search = '?family=0';
    const db9 = new Redis(redisOptionsFromUrl(url.toString()));
    const db0 = new Redis(redisOptionsFromUrl(process.env.REDIS_URL!));
    let fg: FlowgateProcess | undefined;
    try {
      fg = await spawnFlowgate({ DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: url.toString(), QUEUE_PREFIX: prefix });
      // Counted by the global throttle, through the shared Redis client.
      await fetch(`${fg.url}/api/connectors`);

      // BullMQ's workers mark their queues at start; the throttle keeps its count.
      const keys = await waitFor(async () => {
        const k = await keysWithPrefix(db9, prefix);
        return k.some((x) => x.startsWith(`${prefix}:kv:`)) && k.some((x) => x.startsWith(`${prefix}:executions:`)) && k;
      }, 'the throttle and the queues to write to database 9');
      expect(keys.length).toBeGreaterThan(0);
      expect(await keysWithPrefix(db0, prefix)).toEqual([]);
    } finally {
      await fg?.stop();
      await deleteKeysWithPrefix(db9, prefix);
      db9.disconnect();
      db0.disconnect();
    }
  });
});
