import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { RateLimitResult } from '../../core/rate-limit/rate-limit-result';
import { IngestConnection } from '../executions';

/** Adds ARGV[1] to the window's shared counter and answers the new total. */
const ADD_SCRIPT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`;

type WithAdd = { ingestAdd(key: string, amount: number, ttlMs: number): Promise<number> };

/** How often each replica adds its local counts to the shared ones (and learns the others'). */
export const INGEST_LIMIT_SYNC_MS = 50;

interface TenantWindow {
  key: string;
  slot: number;
  windowMs: number;
  /** The shared count as Redis last answered it (this replica's earlier flushes included). */
  shared: number;
  /** Events this replica accepted since its last flush. */
  pending: number;
  /** Events sent to Redis whose answer has not come back yet. */
  inflight: number;
  /** When Redis last answered for this window (ms since epoch). */
  syncedAt: number;
  /** A refresh from Redis in progress (events arriving meanwhile wait for it). */
  refreshing: Promise<void> | null;
}

/**
 * The per-tenant webhook limit: a fixed window counted in Redis and shared by every replica,
 * but not one Redis command per event. Each replica counts locally and adds its counts to the
 * shared counter every INGEST_LIMIT_SYNC_MS (one INCRBY per busy tenant), learning the others'
 * counts from the answer. A local view older than that is never trusted: the next event goes
 * to Redis at once (so does a tenant's first event on a fresh or restarted replica). A single
 * replica is exact; with several, a tenant can exceed the limit by at most what the replicas
 * accept between two syncs (50 ms of its traffic).
 *
 * Why not a Redis command per event: on the measured ingest path (bench/ingest.bench.ts) that
 * command was a fifth of the CPU, most of it the socket write.
 *
 * When Redis is away the event cannot be queued either: it is let through uncounted and the
 * enqueue answers 503.
 */
@Injectable()
export class IngestRateLimiter implements OnApplicationShutdown {
  private readonly windows = new Map<string, TenantWindow>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly connection: IngestConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (!(connection.redis as unknown as Partial<WithAdd>).ingestAdd) {
      connection.redis.defineCommand('ingestAdd', { numberOfKeys: 1, lua: ADD_SCRIPT });
    }
  }

  /** The periodic sync (an @nestjs/schedule interval: started at bootstrap, cleared at shutdown). */
  @Interval('webhook-ingest-limit-sync', INGEST_LIMIT_SYNC_MS)
  sync(): void {
    void this.flush();
  }

  async hit(tenantId: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const windowMs = windowSeconds * 1000;
    const now = Date.now();
    const slot = Math.floor(now / windowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil(((slot + 1) * windowMs - now) / 1000));
    // Redis away: the event cannot be queued either (the enqueue answers 503), so it is not counted.
    if (!this.connection.ready) return { allowed: true, remaining: limit, retryAfterSeconds };

    let w = this.windows.get(tenantId);
    if (!w || w.slot !== slot) {
      if (w?.pending) void this.send(w); // the last counts of the previous window
      w = {
        key: `${this.config.queue.prefix}:ingest-rl:${tenantId}:${slot}`,
        slot,
        windowMs,
        shared: 0,
        pending: 0,
        inflight: 0,
        syncedAt: 0,
        refreshing: null,
      };
      this.windows.set(tenantId, w);
    }
    if (w.refreshing) {
      await w.refreshing;
    } else if (now - w.syncedAt > INGEST_LIMIT_SYNC_MS) {
      // New here, or quiet for a while: the local view may be stale, so this event goes to Redis
      // at once and is judged against the shared count as it is now.
      w.pending++;
      w.refreshing = this.send(w);
      await w.refreshing;
      w.refreshing = null;
      const used = w.shared + w.inflight + w.pending;
      return used > limit
        ? { allowed: false, remaining: 0, retryAfterSeconds }
        : { allowed: true, remaining: limit - used, retryAfterSeconds };
    }
    const used = w.shared + w.inflight + w.pending;
    if (used >= limit) return { allowed: false, remaining: 0, retryAfterSeconds };
    w.pending++;
    return { allowed: true, remaining: limit - used - 1, retryAfterSeconds };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Adds every window's local count to the shared one. */
  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const now = Date.now();
    const sends: Array<Promise<void>> = [];
    for (const [tenantId, w] of this.windows) {
      if (w.pending) sends.push(this.send(w));
      else if (!w.inflight && (w.slot + 1) * w.windowMs < now) this.windows.delete(tenantId);
    }
    if (!sends.length) return Promise.resolve();
    this.flushing = Promise.all(sends).then(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async send(w: TenantWindow): Promise<void> {
    const amount = w.pending;
    if (!amount || !this.connection.ready) return;
    w.pending -= amount;
    w.inflight += amount;
    try {
      // Replies come back in the order sent (one connection), so `shared` only grows.
      w.shared = await (this.connection.redis as unknown as WithAdd).ingestAdd(w.key, amount, w.windowMs + 1000);
      w.syncedAt = Date.now();
    } catch {
      // Not counted in Redis: keep it for the next flush.
      w.pending += amount;
    } finally {
      w.inflight -= amount;
    }
  }
}
