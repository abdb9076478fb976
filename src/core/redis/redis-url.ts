import type { RedisOptions } from 'ioredis';

/** What REDIS_URL can say about a connection; every Redis client Flowgate makes starts from these. */
export type RedisUrlOptions = Pick<RedisOptions, 'host' | 'port' | 'username' | 'password' | 'db' | 'tls' | 'family'>;

export class RedisUrlError extends Error {}

/** Query options REDIS_URL may carry. Anything else is refused rather than silently ignored. */
const QUERY_OPTIONS = ['family', 'db'] as const;

/**
 * Turns REDIS_URL into ioredis options:
 *   redis[s]://[[username]:password@]host[:port][/db][?family=0|4|6&db=N]
 * `rediss://` turns TLS on. `family` chooses the address families the host name resolves to
 * (0: IPv4 and IPv6, which Railway's private network documents for ioredis; 4 or 6: only
 * that one). Building options by hand instead of handing ioredis the URL string is what lets
 * BullMQ's connections, which take an options object, get the same host, credentials,
 * database, TLS and family as every other client. Errors never repeat the URL (it may hold a
 * password).
 */
export function redisOptionsFromUrl(url: string): RedisUrlOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisUrlError('must be a URL such as redis://host:6379 or rediss://user:password@host:6380/0');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new RedisUrlError(`must start with redis:// or rediss:// (TLS), got "${u.protocol}//"`);
  }
  // WHATWG URL keeps the brackets of an IPv6 literal ("[fd12::1]"); the socket wants the address.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new RedisUrlError('must name a host, e.g. redis://host:6379');

  for (const key of u.searchParams.keys()) {
    if (!(QUERY_OPTIONS as readonly string[]).includes(key)) {
      throw new RedisUrlError(`unsupported option "${key}" (supported: ${QUERY_OPTIONS.join(', ')})`);
    }
  }

  const pathDb = u.pathname.length > 1 ? u.pathname.slice(1) : undefined;
  const queryDb = u.searchParams.get('db') ?? undefined;
  if (pathDb !== undefined && queryDb !== undefined && pathDb !== queryDb) {
    throw new RedisUrlError(`names database ${pathDb} in the path and ${queryDb} in ?db=: give one`);
  }
  const dbText = pathDb ?? queryDb;
  if (dbText !== undefined && !/^\d{1,5}$/.test(dbText))
    throw new RedisUrlError(`database must be a whole number (e.g. /0), got "${dbText}"`);

  const familyText = u.searchParams.get('family');
  if (familyText !== null && !['0', '4', '6'].includes(familyText)) {
    throw new RedisUrlError(`family must be 0 (IPv4 and IPv6), 4 or 6, got "${familyText}"`);
  }

  const options: RedisUrlOptions = {
    host,
    port: u.port ? Number(u.port) : 6379,
    db: dbText !== undefined ? Number(dbText) : 0,
  };
  if (u.username) options.username = decodeURIComponent(u.username);
  if (u.password) options.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') options.tls = {};
  // Unset: ioredis' own default applies.
  if (familyText !== null) options.family = Number(familyText);
  return options;
}
