import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every replica. When Redis fails the counters
 * fall back to this process's memory, so limits keep holding (per replica) instead of the
 * request failing.
 */
@Injectable()
export class RateLimiterService {
  private readonly logger = new Logger(RateLimiterService.name);
  private readonly local = new Map<string, { count: number; resetAt: number }>();
  private degraded = false;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const windowMs = windowSeconds * 1000;
    const slot = Math.floor(Date.now() / windowMs);
    const resetAt = (slot + 1) * windowMs;
    const redisKey = `rl:${key}:${slot}`;
    let count: number;
    try {
      const res = await this.redis
        .multi()
        .incr(redisKey)
        .pexpire(redisKey, windowMs + 1000)
        .exec();
      const err = res?.[0]?.[0];
      if (!res || err) throw err ?? new Error('empty reply');
      count = Number(res[0][1]);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis is back: rate limits are shared again');
      }
    } catch {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn('Redis unavailable: rate limits fall back to per-process counters');
      }
      count = this.hitLocal(redisKey, resetAt);
    }
    return {
      allowed: count <= limit,
      remaining: Math.max(0, limit - count),
      retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)),
    };
  }

  private hitLocal(key: string, resetAt: number): number {
    const now = Date.now();
    if (this.local.size > 10_000) for (const [k, v] of this.local) if (v.resetAt <= now) this.local.delete(k);
    const entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) {
      this.local.set(key, { count: 1, resetAt });
      return 1;
    }
    entry.count += 1;
    return entry.count;
  }
}
