import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import './ioredis-disconnect-fix';
import { RedisTarget } from './redis-topology';
import { redisOptionsFromUrl } from './redis-url';

/**
 * The one place Flowgate's Redis connections get their options. Every kind starts from
 * REDIS_URL (host, credentials, database, TLS, family) and redials on the same schedule; they
 * differ in what a command does while Redis is away:
 *
 * - `command`: fails fast (no offline queue, one retry, 2 s to connect), so a request degrades
 *   or answers 503 instead of hanging. The shared client (caches, rate limits, idempotency
 *   keys) and the ingest path's connection are of this kind.
 * - `bullmq`: waits for Redis as long as it takes (`maxRetriesPerRequest: null`, which BullMQ
 *   requires for its blocking commands); callers that must not wait bound it themselves.
 * - `subscriber`: a pub/sub connection. It queues its SUBSCRIBE until connected and
 *   re-subscribes after every reconnect, which needs the offline queue that `command` refuses.
 *
 * With REDIS_CLUSTER_NODES each kind is an ioredis `Cluster` with the same per-node options;
 * with REDIS_SENTINELS a `Redis` that finds its master through the sentinels (redis-topology.ts).
 */
export type RedisClientKind = 'command' | 'bullmq' | 'subscriber';

/** A standalone/Sentinel client or a Cluster: the same command API. */
export type RedisClient = Redis | Cluster;

/** Redial after 200 ms, 400 ms, …, then every 2 s for as long as Redis is away. */
export function redisRetryDelay(attempt: number): number {
  return Math.min(attempt * 200, 2000);
}

export interface RedisClientNaming {
  /** `CLIENT SETNAME`: what `CLIENT LIST` on the server shows for this connection. */
  connectionName?: string;
  /** Prepended to every key the client writes (the shared client keeps its keys under the run's prefix). */
  keyPrefix?: string;
}

const KIND_OPTIONS: Record<RedisClientKind, RedisOptions> = {
  command: { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 },
  bullmq: { maxRetriesPerRequest: null },
  subscriber: {},
};

const asTarget = (target: string | RedisTarget): RedisTarget => (typeof target === 'string' ? { url: target } : target);

/**
 * The ioredis options of one kind of connection: to REDIS_URL, or to the master of a Sentinel
 * group (then `sentinels`/`name` replace REDIS_URL's host and port). For a cluster these are
 * the options of each node connection (clusterClientOptions).
 */
export function redisClientOptions(target: string | RedisTarget, kind: RedisClientKind, naming: RedisClientNaming = {}): RedisOptions {
  const { url, topology } = asTarget(target);
  const options: RedisOptions = { ...redisOptionsFromUrl(url), ...KIND_OPTIONS[kind], retryStrategy: redisRetryDelay };
  if (naming.connectionName !== undefined) options.connectionName = naming.connectionName;
  if (naming.keyPrefix !== undefined) options.keyPrefix = naming.keyPrefix;
  if (topology?.kind === 'sentinel') {
    delete options.host;
    delete options.port;
    options.sentinels = topology.sentinels.map((n) => ({ host: n.host, port: n.port }));
    options.name = topology.name;
    if (topology.sentinelPassword !== undefined) options.sentinelPassword = topology.sentinelPassword;
    // Sentinels are asked over TLS too when the master is (rediss://).
    if (options.tls) options.enableTLSForSentinelMode = true;
    options.sentinelRetryStrategy = redisRetryDelay;
    // Follow a failover when the sentinels announce it (+switch-master), not only when the old
    // master drops the connection: a master the sentinels have replaced can stay reachable and
    // writable for a while (or, cut off from them, for as long as that lasts), and what Flowgate
    // wrote there (accepted runs, kv keys) is lost when it rejoins as a replica. Costs one
    // subscriber connection per sentinel per client. test/redis-sentinel.e2e-spec.ts.
    options.failoverDetector = true;
  }
  return options;
}

/**
 * The ioredis Cluster options of one kind: REDIS_URL's credentials, TLS and family on every
 * node connection (host, port and database come from the cluster), the kind's offline-queue and
 * retry behaviour, and the same redial schedule for the cluster as a whole.
 */
export function clusterClientOptions(url: string, kind: RedisClientKind, naming: RedisClientNaming = {}): ClusterOptions {
  const { host: _host, port: _port, db: _db, ...perNode } = redisClientOptions(url, kind, naming);
  const { keyPrefix, enableOfflineQueue, retryStrategy: _retry, ...redisOptions } = perNode;
  const options: ClusterOptions = {
    redisOptions,
    clusterRetryStrategy: redisRetryDelay,
    enableOfflineQueue: enableOfflineQueue ?? true,
    // Slots move (resharding, failover): follow MOVED/ASK and refresh the map rather than fail.
    retryDelayOnMoved: 0,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
  };
  if (keyPrefix !== undefined) options.keyPrefix = keyPrefix;
  // TLS endpoints are certificates for host names: keep the name instead of resolving it to an IP.
  if (redisOptions.tls) options.dnsLookup = (address, callback) => callback(null, address);
  return options;
}

/**
 * A connected client of one kind. Connection errors are swallowed here: Redis outages are
 * reported by readiness and answered per request, never as an unhandled 'error' crash.
 */
export function createRedisClient(url: string, kind: RedisClientKind, naming?: RedisClientNaming): Redis;
export function createRedisClient(target: RedisTarget, kind: RedisClientKind, naming?: RedisClientNaming): RedisClient;
export function createRedisClient(target: string | RedisTarget, kind: RedisClientKind, naming: RedisClientNaming = {}): RedisClient {
  const t = asTarget(target);
  const client: RedisClient =
    t.topology?.kind === 'cluster'
      ? new Cluster(
          t.topology.nodes.map((n) => ({ host: n.host, port: n.port })),
          clusterClientOptions(t.url, kind, naming),
        )
      : new Redis(redisClientOptions(t, kind, naming));
  client.on('error', () => undefined);
  return client;
}
