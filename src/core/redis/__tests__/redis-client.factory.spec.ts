import { bullConnection } from '../redis-connection';
import { createRedisClient, redisClientOptions, redisRetryDelay } from '../redis-client.factory';

const URL = 'rediss://default:pw@h:6380/2?family=0';
const FROM_URL = { host: 'h', port: 6380, db: 2, username: 'default', password: 'pw', tls: {}, family: 0 };

describe('the Redis client factory', () => {
  it('redials on one schedule: 200 ms steps up to every 2 s', () => {
    expect([1, 2, 5, 10, 11, 1000].map(redisRetryDelay)).toEqual([200, 400, 1000, 2000, 2000, 2000]);
  });

  it('command: everything REDIS_URL says, failing fast (no offline queue, one retry, 2 s to connect)', () => {
    const o = redisClientOptions(URL, 'command', { connectionName: 'flowgate-api', keyPrefix: 'run:kv:' });
    expect(o).toMatchObject({
      ...FROM_URL,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      connectionName: 'flowgate-api',
      keyPrefix: 'run:kv:',
    });
    expect(o.retryStrategy).toBe(redisRetryDelay);
  });

  it('command without a prefix (the ingest connection): no keyPrefix key at all', () => {
    const o = redisClientOptions(URL, 'command', { connectionName: 'flowgate-api-ingest' });
    expect('keyPrefix' in o).toBe(false);
    expect(o).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: 'flowgate-api-ingest' });
  });

  it('bullmq: waits for Redis (maxRetriesPerRequest null), keeps the offline queue', () => {
    const o = redisClientOptions(URL, 'bullmq');
    expect(o).toMatchObject({ ...FROM_URL, maxRetriesPerRequest: null });
    expect(o.enableOfflineQueue).toBeUndefined();
    expect(o.retryStrategy).toBe(redisRetryDelay);
    expect(bullConnection(URL)).toEqual(o);
  });

  it('subscriber: keeps the offline queue (its SUBSCRIBE waits for the connection) and redials', () => {
    const o = redisClientOptions(URL, 'subscriber', { connectionName: 'flowgate-worker-workflow-sub' });
    expect(o).toMatchObject({ ...FROM_URL, connectionName: 'flowgate-worker-workflow-sub' });
    expect(o.enableOfflineQueue).toBeUndefined();
    expect(o.maxRetriesPerRequest).toBeUndefined();
    expect(o.retryStrategy).toBe(redisRetryDelay);
  });

  it('a client that cannot connect reports through its status, never an unhandled error event', async () => {
    // Port 1 on loopback refuses at once; without the factory's listener the 'error' event would throw.
    const client = createRedisClient('redis://127.0.0.1:1', 'command');
    await new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    expect(client.status).not.toBe('ready');
    client.disconnect();
  });
});
