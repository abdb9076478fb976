import Redis, { RedisOptions } from 'ioredis';
import './ioredis-disconnect-fix';
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
 */
export type RedisClientKind = 'command' | 'bullmq' | 'subscriber';

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

/** The ioredis options of one kind of connection to `url`. */
export function redisClientOptions(url: string, kind: RedisClientKind, naming: RedisClientNaming = {}): RedisOptions {
  const options: RedisOptions = { ...redisOptionsFromUrl(url), ...KIND_OPTIONS[kind], retryStrategy: redisRetryDelay };
  if (naming.connectionName !== undefined) options.connectionName = naming.connectionName;
  if (naming.keyPrefix !== undefined) options.keyPrefix = naming.keyPrefix;
  return options;
}

/**
 * A connected client of one kind. Connection errors are swallowed here: Redis outages are
 * reported by readiness and answered per request, never as an unhandled 'error' crash.
 */
export function createRedisClient(url: string, kind: RedisClientKind, naming: RedisClientNaming = {}): Redis {
  const client = new Redis(redisClientOptions(url, kind, naming));
  client.on('error', () => undefined);
  return client;
}
