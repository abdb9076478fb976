import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-client.factory';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CacheCounter, CacheMetrics } from '../metrics/cache-metrics';
import { MetricsService } from '../metrics/metrics.service';
import { REDIS } from '../redis/redis.module';

/** Entries kept in process memory while Redis is away: small and short-lived. */
const MEMORY_MAX_ENTRIES = 5_000;
const MEMORY_MAX_TTL_SECONDS = 30;

interface MemoryEntry {
  value: string;
  expiresAt: number;
}

/**
 * A read-through JSON cache grouped in namespaces (e.g. one per tenant and feature).
 * Redis is the shared store; each namespace has a version number in Redis that is part of
 * every key, so `invalidate(ns)` is one INCR that every replica sees at once (no SCAN).
 *
 * When Redis fails, reads fall back to a small in-process cache (capped at 30 s, because
 * another replica's writes cannot reach it) and then to the loader, so reads keep working.
 * Invalidations made while Redis is away are remembered and replayed when it answers again.
 *
 * Namespaces are `<cache>:<scope>` (e.g. `companies:<tenant id>`): the part before the first
 * colon names the cache in the hit/miss metrics, so it must be a fixed word, never an id.
 */
@Injectable()
export class CacheService {
  private readonly logger = new Logger(CacheService.name);
  private readonly memory = new Map<string, MemoryEntry>();
  private readonly localVersions = new Map<string, number>();
  private readonly pendingInvalidations = new Set<string>();
  private degraded = false;
  private readonly metrics: CacheMetrics;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.metrics = new CacheMetrics(metrics);
  }

  get defaultTtlSeconds(): number {
    return this.config.cache.defaultTtlSeconds;
  }

  /** Answers the cached value of `key` in `namespace`, or loads, stores and answers it. */
  async getOrLoad<T>(namespace: string, key: string, loader: () => Promise<T>, ttlSeconds = this.defaultTtlSeconds): Promise<T> {
    const counter = this.metrics.for(cacheName(namespace));
    const redisKey = await this.redisKey(namespace, key);
    if (redisKey) {
      try {
        const hit = await this.redis.get(redisKey);
        this.up();
        if (hit !== null) {
          counter.hit();
          return JSON.parse(hit) as T;
        }
        counter.miss();
        const value = await loader();
        await this.redis.set(redisKey, JSON.stringify(value), 'EX', ttlSeconds).catch(() => this.down());
        return value;
      } catch (e) {
        if (!isRedisFailure(e)) throw e;
        this.down();
      }
    }
    return this.memoryGetOrLoad(namespace, key, loader, ttlSeconds, counter);
  }

  /** Drops every entry of the namespace, here and (through Redis) on every replica. */
  async invalidate(namespace: string): Promise<void> {
    this.localVersions.set(namespace, (this.localVersions.get(namespace) ?? 0) + 1);
    const prefix = `${namespace}|`;
    for (const k of this.memory.keys()) if (k.startsWith(prefix)) this.memory.delete(k);
    try {
      await this.bumpVersion(namespace);
      this.up();
    } catch {
      this.down();
      this.pendingInvalidations.add(namespace);
    }
  }

  private async bumpVersion(namespace: string): Promise<void> {
    const vkey = `cache:v:${namespace}`;
    await this.redis
      .multi()
      .incr(vkey)
      .expire(vkey, 7 * 24 * 3600)
      .exec();
  }

  /** The Redis key for this entry, or undefined when Redis is not answering. */
  private async redisKey(namespace: string, key: string): Promise<string | undefined> {
    try {
      await this.flushPending();
      const version = (await this.redis.get(`cache:v:${namespace}`)) ?? '0';
      return `cache:${namespace}:${version}:${key}`;
    } catch {
      this.down();
      return undefined;
    }
  }

  private async flushPending(): Promise<void> {
    if (!this.pendingInvalidations.size) return;
    for (const ns of [...this.pendingInvalidations]) {
      await this.bumpVersion(ns);
      this.pendingInvalidations.delete(ns);
    }
  }

  private async memoryGetOrLoad<T>(
    namespace: string,
    key: string,
    loader: () => Promise<T>,
    ttlSeconds: number,
    counter: CacheCounter,
  ): Promise<T> {
    const mkey = `${namespace}|${this.localVersions.get(namespace) ?? 0}|${key}`;
    const now = Date.now();
    const hit = this.memory.get(mkey);
    if (hit && hit.expiresAt > now) {
      counter.hit();
      return JSON.parse(hit.value) as T;
    }
    counter.miss();
    const value = await loader();
    if (this.memory.size >= MEMORY_MAX_ENTRIES) {
      for (const [k, v] of this.memory) if (v.expiresAt <= now) this.memory.delete(k);
      if (this.memory.size >= MEMORY_MAX_ENTRIES) this.memory.delete(this.memory.keys().next().value as string);
    }
    this.memory.set(mkey, { value: JSON.stringify(value), expiresAt: now + Math.min(ttlSeconds, MEMORY_MAX_TTL_SECONDS) * 1000 });
    return value;
  }

  private down(): void {
    if (!this.degraded) this.logger.warn('Redis unavailable: caching in process memory');
    this.degraded = true;
  }

  private up(): void {
    if (this.degraded) {
      this.degraded = false;
      this.memory.clear();
      this.logger.log('Redis is back: cache shared again');
    }
  }
}

/** The metrics label of a namespace: its first segment (`companies:<tenant>` → `companies`). */
function cacheName(namespace: string): string {
  const i = namespace.indexOf(':');
  return i === -1 ? namespace : namespace.slice(0, i);
}

/** Loader errors must propagate; only Redis transport failures switch to memory. */
function isRedisFailure(e: unknown): boolean {
  const msg = (e as Error)?.message ?? '';
  return /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|max retries|enableOfflineQueue|connect ETIMEDOUT|READONLY|LOADING/i.test(
    msg,
  );
}
