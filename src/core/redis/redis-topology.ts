/**
 * How Flowgate reaches Redis past one server. REDIS_URL alone: one Redis (as always).
 *
 * - Cluster (REDIS_CLUSTER_NODES=host:port,host:port,…): an ioredis `Cluster` seeded with those
 *   nodes; it learns the rest of the cluster from them. REDIS_URL still gives the username,
 *   password, TLS (rediss://) and address family every node connection uses; its host and port
 *   are not used, and its database must be 0 (a cluster has only database 0).
 * - Sentinel (REDIS_SENTINELS=host:port,… + REDIS_SENTINEL_NAME): ioredis asks the sentinels for
 *   the current master of that group and follows failovers. REDIS_URL gives the master's
 *   username, password, database, TLS and family (its host and port are not used);
 *   REDIS_SENTINEL_PASSWORD authenticates to the sentinels themselves, when they require it.
 */
export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTopology =
  | { kind: 'standalone' }
  | { kind: 'cluster'; nodes: RedisNode[] }
  | { kind: 'sentinel'; sentinels: RedisNode[]; name: string; sentinelPassword?: string };

/** Where Redis is: REDIS_URL plus, optionally, a cluster or sentinel topology (AppConfig.redis). */
export interface RedisTarget {
  url: string;
  /** Unset: one Redis at REDIS_URL. */
  topology?: RedisTopology;
}

/**
 * Parses `host:port,host:port` (spaces allowed; an IPv6 address in brackets: `[fd12::1]:7000`).
 * Throws with a message that quotes the bad entry (no secrets live in these lists).
 */
export function parseHostPorts(text: string): RedisNode[] {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!entries.length) throw new Error('must list at least one host:port');
  return entries.map((entry) => {
    const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s/]+)):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new Error(`each entry must be host:port (e.g. 10.0.0.5:7000 or [fd12::1]:7000), got "${entry}"`);
    }
    return { host: m[1] ?? m[2], port };
  });
}

/** Why a host:port list cannot be used, or undefined (also for an empty value: the setting is off). */
export function hostPortsProblem(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    parseHostPorts(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export interface TopologySettings {
  REDIS_CLUSTER_NODES?: string;
  REDIS_SENTINELS?: string;
  REDIS_SENTINEL_NAME?: string;
  REDIS_SENTINEL_PASSWORD?: string;
}

/**
 * The topology the settings describe, or the problems (each naming its setting). `urlDb` is
 * the database REDIS_URL names: a cluster refuses any but 0.
 */
export function redisTopologyFrom(s: TopologySettings, urlDb: number): { topology: RedisTopology; problems: string[] } {
  const problems: string[] = [];
  const cluster = s.REDIS_CLUSTER_NODES?.trim();
  const sentinels = s.REDIS_SENTINELS?.trim();
  const name = s.REDIS_SENTINEL_NAME?.trim();
  if (cluster && sentinels)
    problems.push('REDIS_CLUSTER_NODES: set either REDIS_CLUSTER_NODES (Redis Cluster) or REDIS_SENTINELS (Sentinel), not both');
  if (sentinels && !name) problems.push('REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master group name, e.g. mymaster)');
  if (!sentinels && name) problems.push('REDIS_SENTINEL_NAME: only used with REDIS_SENTINELS, which is not set');
  if (!sentinels && s.REDIS_SENTINEL_PASSWORD) problems.push('REDIS_SENTINEL_PASSWORD: only used with REDIS_SENTINELS, which is not set');
  if (cluster && urlDb !== 0) problems.push(`REDIS_URL: a Redis Cluster has only database 0, the URL names database ${urlDb}`);
  if (problems.length) return { topology: { kind: 'standalone' }, problems };
  if (cluster) return { topology: { kind: 'cluster', nodes: parseHostPorts(cluster) }, problems };
  if (sentinels) {
    const topology: RedisTopology = { kind: 'sentinel', sentinels: parseHostPorts(sentinels), name: name! };
    if (s.REDIS_SENTINEL_PASSWORD) topology.sentinelPassword = s.REDIS_SENTINEL_PASSWORD;
    return { topology, problems };
  }
  return { topology: { kind: 'standalone' }, problems };
}

/**
 * The hash-tag rule. In a Redis Cluster every key one command or script touches must hash to
 * one slot, and BullMQ's scripts touch many keys of a queue (wait, active, the job hashes…).
 * Redis hashes only the part of a key inside the first `{…}`, so with QUEUE_PREFIX wrapped in
 * braces (`{flowgate}:executions:wait`) every key of every queue shares one slot: BullMQ's
 * documented way to run on a cluster. Everything else Flowgate keys under the queue prefix
 * (the ingest rate limit) shares it too. Off a cluster the prefix is used as given.
 */
export function effectiveQueuePrefix(prefix: string, topology: RedisTopology | undefined): string {
  return topology?.kind === 'cluster' ? `{${prefix}}` : prefix;
}

/**
 * The shared client's key prefix (caches, throttles, locks, idempotency keys): `<prefix>:kv:`,
 * or on a cluster `{<prefix>:kv}:`, a slot of its own (so its traffic can sit on another master
 * than the queues) in which its multi-key commands (MULTI, DEL of several keys, the throttle's
 * two-key script) stay legal.
 */
export function kvKeyPrefix(queuePrefix: string): string {
  const tagged = /^\{(.+)\}$/.exec(queuePrefix);
  return tagged ? `{${tagged[1]}:kv}:` : `${queuePrefix}:kv:`;
}
