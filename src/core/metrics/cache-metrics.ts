import type { Counter } from 'prom-client';
import { MetricsService } from './metrics.service';

/** Counts one cache's lookups; `hit()`/`miss()` are a pre-bound counter increment each. */
export interface CacheCounter {
  hit(): void;
  miss(): void;
}

/**
 * Hit and miss counters of the caches, labelled by cache name only (a fixed, small set such as
 * `companies` or `workflow`, never a tenant or key), so a cache's hit ratio is
 * hits / (hits + misses). A miss is a lookup that had to load from the source.
 */
export class CacheMetrics {
  private readonly hits: Counter<'cache'>;
  private readonly misses: Counter<'cache'>;
  private readonly byName = new Map<string, CacheCounter>();

  constructor(metrics: MetricsService) {
    this.hits = metrics.counter('flowgate_cache_hits_total', 'Cache lookups answered from the cache, by cache', ['cache']);
    this.misses = metrics.counter('flowgate_cache_misses_total', 'Cache lookups that loaded from the source, by cache', ['cache']);
  }

  /** The counters of one cache (label children bound once, so the hot path does no label hashing). */
  for(cache: string): CacheCounter {
    let c = this.byName.get(cache);
    if (!c) {
      const hits = this.hits.labels(cache);
      const misses = this.misses.labels(cache);
      c = { hit: () => hits.inc(), miss: () => misses.inc() };
      this.byName.set(cache, c);
    }
    return c;
  }
}
