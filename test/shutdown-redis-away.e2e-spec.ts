import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { bullConnection } from '../src/core/redis/redis-connection';
import { PrivateRedis, startRedisServer } from './support/redis-server';
import { registerTenant, startTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { coreWorkflow, createWorkflow } from './support/workflow-helpers';

/**
 * A process must be able to stop while Redis is away or coming back. ioredis never ends a
 * client that is waiting to reconnect when it is told to disconnect (redis/ioredis#1247,
 * open fix #2169), and BullMQ waits for that end when a worker closes (taskforcesh/bullmq#4656):
 * a shutdown at the wrong moment hung forever. CI caught it once as a 60 s teardown timeout.
 * And with Redis away for good, BullMQ's graceful close waits for commands that are only
 * re-sent once Redis is back. These tests close at exactly those moments.
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

  it('a command in flight when Redis went away fails when the client is disconnected', async () => {
    const client = new Redis(bullConnection(redis.url));
    client.on('error', () => undefined);
    await client.ping();
    const blocked = client.blpop('fgt-shutdown-never', 0);
    const outcome = blocked.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await redis.stop();
    await waitFor(() => reconnecting(client), 'client waiting to reconnect', 10_000, 5);
    client.disconnect();
    expect(await outcome).toBe('Connection is closed.');
  });

  it('the whole app closes while Redis stays away, even with jobs in flight', async () => {
    const t = await startTestApp({ REDIS_URL: redis.url });
    const owner = await registerTenant(t.http);
    const wf = await createWorkflow(t.http, owner.token, coreWorkflow());
    // Keep the execution worker busy so that commands are in flight when Redis dies.
    let firing = true;
    const load = (async () => {
      for (let n = 0; firing; n++)
        await Promise.all(
          Array.from({ length: 10 }, () => t.http.post(`/api/webhooks/${wf.id}`, { order: { id: String(n) } }).catch(() => undefined)),
        );
    })();
    await waitFor(async () => (await t.http.get('/api/logs', { token: owner.token })).body.items?.length > 0, 'executions running');
    await redis.stop();
    firing = false;
    await load;
    await waitFor(async () => (await t.http.get('/health/ready')).status === 503, 'readiness reports the outage');
    // BullMQ's graceful close waits for commands that are only re-sent once Redis is back:
    // the workers close at once instead, and the queues drop their connections.
    await expect(t.close()).resolves.toBeUndefined();
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
