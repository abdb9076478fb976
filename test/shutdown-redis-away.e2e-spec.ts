import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { bullConnection } from '../src/core/redis/redis-connection';
import { PrivateRedis, startRedisServer } from './support/redis-server';
import { registerTenant, startTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * A process must be able to stop while Redis is away or coming back. ioredis never ends a
 * client that is waiting to reconnect when it is told to disconnect (redis/ioredis#1247,
 * open fix #2169), and BullMQ waits for that end when a worker closes (taskforcesh/bullmq#4656):
 * a shutdown at the wrong moment hung forever. CI caught it once as a 60 s teardown timeout.
 * These tests close at exactly that moment.
 */
describe('shutting down while Redis is away', () => {
  let redis: PrivateRedis;
  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(() => redis.stop());

  const reconnecting = (client: Redis) => client.status === 'reconnecting';

  // The fix is applied by Flowgate's Redis plumbing, imported above (redis-connection).
  it('an ioredis client waiting to reconnect ends when disconnected', async () => {
    const client = new Redis(bullConnection(redis.url));
    client.on('error', () => undefined);
    await client.ping();
    await redis.stop();
    await waitFor(() => reconnecting(client), 'client waiting to reconnect', 10_000, 5);
    const ended = new Promise<string>((resolve) => client.once('end', () => resolve(client.status)));
    client.disconnect();
    expect(await ended).toBe('end');
  });

  it('a BullMQ worker whose connections wait to reconnect closes', async () => {
    const prefix = `fgt-shutdown-${randomBytes(3).toString('hex')}`;
    const worker = new Worker('q', async () => undefined, { connection: bullConnection(redis.url), prefix });
    worker.on('error', () => undefined);
    await worker.waitUntilReady();
    // The blocking connection (BZPOPMIN) is the one close() disconnects and waits for.
    const blocking = await (worker as unknown as { backend: { blockingConnection: { client: Promise<Redis> } } }).backend.blockingConnection
      .client;
    await redis.stop();
    await waitFor(() => reconnecting(blocking), 'blocking connection waiting to reconnect', 10_000, 5);
    await expect(worker.close()).resolves.toBeUndefined();
    expect(worker.isRunning()).toBe(false);
  });

  it('the whole app closes when Redis comes back while its clients still wait to reconnect', async () => {
    const t = await startTestApp({ REDIS_URL: redis.url });
    const owner = await registerTenant(t.http);
    expect((await t.http.get('/api/auth/me', { token: owner.token })).status).toBe(200);
    const queue = new Queue('probe', { connection: bullConnection(redis.url), prefix: t.config.queue.prefix });
    queue.on('error', () => undefined);
    await redis.stop();
    // Long enough for the retry delays to grow (200 ms, 400 ms, ... up to 2 s).
    await new Promise((r) => setTimeout(r, 2500));
    await redis.start();
    await expect(t.close()).resolves.toBeUndefined();
    await queue.close();
  });
});
