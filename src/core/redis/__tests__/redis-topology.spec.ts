import { Cluster } from 'ioredis';
import { loadConfig, ConfigError } from '../../config/load-config';
import { clusterClientOptions, createRedisClient, redisClientOptions, redisRetryDelay } from '../redis-client.factory';
import { bullConnection, bullConnectionFor } from '../redis-connection';
import { effectiveQueuePrefix, kvKeyPrefix, parseHostPorts, redisTopologyFrom } from '../redis-topology';

const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    config(env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe('Redis topology settings', () => {
  it('parses host:port lists, IPv6 in brackets', () => {
    expect(parseHostPorts(' 10.0.0.5:7000, redis-b:7001,[fd12::1]:7002 ')).toEqual([
      { host: '10.0.0.5', port: 7000 },
      { host: 'redis-b', port: 7001 },
      { host: 'fd12::1', port: 7002 },
    ]);
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: '10.0.0.5' }, /REDIS_CLUSTER_NODES: each entry must be host:port .* got "10.0.0.5"/],
    [{ REDIS_CLUSTER_NODES: 'h:70000' }, /REDIS_CLUSTER_NODES: .*got "h:70000"/],
    [{ REDIS_SENTINELS: 'h:26379' }, /REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, /REDIS_SENTINEL_NAME: only used with REDIS_SENTINELS/],
    [{ REDIS_SENTINEL_PASSWORD: 'x' }, /REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS/],
    [{ REDIS_CLUSTER_NODES: 'h:7000', REDIS_SENTINELS: 'h:26379', REDIS_SENTINEL_NAME: 'm' }, /not both/],
    [
      { REDIS_CLUSTER_NODES: 'h:7000', REDIS_URL: 'redis://h/3' },
      /REDIS_URL: a Redis Cluster has only database 0, the URL names database 3/,
    ],
  ])('refuses %j naming the setting', (env, message) => {
    expect(problemsOf(env).join('\n')).toMatch(message);
  });

  it('REDIS_URL alone: one Redis, the prefix as given', () => {
    const c = config({ REDIS_URL: 'redis://h:6380/2', QUEUE_PREFIX: 'fg' });
    expect(c.redis).toEqual({ url: 'redis://h:6380/2', topology: { kind: 'standalone' } });
    expect(c.queue.prefix).toBe('fg');
    expect(kvKeyPrefix(c.queue.prefix)).toBe('fg:kv:');
    expect(redisClientOptions(c.redis, 'command')).toEqual(redisClientOptions(c.redis.url, 'command'));
  });

  it('cluster: hash-tagged queue prefix, kv keys in a slot of their own', () => {
    const c = config({ REDIS_CLUSTER_NODES: 'a:7000,b:7001', QUEUE_PREFIX: 'fg' });
    expect(c.redis.topology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
    });
    expect(c.queue.prefix).toBe('{fg}');
    expect(kvKeyPrefix(c.queue.prefix)).toBe('{fg:kv}:');
    expect(effectiveQueuePrefix('fg', { kind: 'sentinel', sentinels: [], name: 'm' })).toBe('fg');
  });

  it('cluster options: REDIS_URL credentials and TLS on every node, the kind per node, no host/port/db', () => {
    const o = clusterClientOptions('rediss://default:pw@ignored:6380?family=6', 'command', { connectionName: 'n', keyPrefix: '{fg:kv}:' });
    expect(o.redisOptions).toMatchObject({
      username: 'default',
      password: 'pw',
      tls: {},
      family: 6,
      maxRetriesPerRequest: 1,
      connectionName: 'n',
    });
    expect(o.redisOptions).not.toHaveProperty('host');
    expect(o.redisOptions).not.toHaveProperty('port');
    expect(o.redisOptions).not.toHaveProperty('db');
    expect(o.redisOptions).not.toHaveProperty('keyPrefix');
    expect(o).toMatchObject({ keyPrefix: '{fg:kv}:', enableOfflineQueue: false });
    expect(o.clusterRetryStrategy).toBe(redisRetryDelay);
    expect(typeof o.dnsLookup).toBe('function');
    expect(clusterClientOptions('redis://h', 'bullmq').redisOptions).toMatchObject({ maxRetriesPerRequest: null });
    expect(clusterClientOptions('redis://h', 'subscriber').enableOfflineQueue).toBe(true);
  });

  it('cluster: clients and the BullMQ connection are ioredis Clusters', () => {
    const target = { url: 'redis://127.0.0.1:1', topology: redisTopologyFrom({ REDIS_CLUSTER_NODES: '127.0.0.1:1' }, 0).topology };
    const client = createRedisClient(target, 'command');
    const bull = bullConnectionFor(target);
    try {
      expect(client).toBeInstanceOf(Cluster);
      expect(bull).toBeInstanceOf(Cluster);
    } finally {
      client.disconnect();
      (bull as Cluster).disconnect();
    }
  });

  it('sentinel: sentinels and group name replace the host; REDIS_URL gives the master credentials and db', () => {
    const c = config({
      REDIS_URL: 'rediss://default:pw@ignored:6379/4',
      REDIS_SENTINELS: 's1:26379,s2:26380',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
    });
    expect(c.queue.prefix).toBe('flowgate');
    const o = bullConnection(c.redis);
    expect(o).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'mymaster',
      sentinelPassword: 'sentinel-pw',
      username: 'default',
      password: 'pw',
      db: 4,
      tls: {},
      enableTLSForSentinelMode: true,
      failoverDetector: true,
      maxRetriesPerRequest: null,
    });
    expect(o).not.toHaveProperty('host');
    expect(o).not.toHaveProperty('port');
    expect(bullConnectionFor(c.redis)).toEqual(o);
  });

  it("sentinel: every kind of client follows a failover on the sentinels' +switch-master", () => {
    const c = config({ REDIS_URL: 'redis://ignored:6379', REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'mymaster' });
    for (const kind of ['command', 'bullmq', 'subscriber'] as const) {
      expect(redisClientOptions(c.redis, kind)).toMatchObject({ failoverDetector: true, name: 'mymaster' });
    }
    // Off Sentinel the option is not set.
    expect(redisClientOptions('redis://h:6379', 'command')).not.toHaveProperty('failoverDetector');
  });
});
