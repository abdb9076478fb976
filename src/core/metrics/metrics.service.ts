import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withDeadline } from '../async/deadline';
import { QueueService } from '../queue/queue.module';

/** BullMQ waits for Redis forever: a scrape must not, so it keeps the last queue values instead. */
const QUEUE_COUNTS_DEADLINE_MS = 1000;

/**
 * One Prometheus registry per application instance (tests boot several apps in one
 * process; the global default registry would reject duplicate names).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(queues: QueueService) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'flowgate_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        try {
          const counts = await withDeadline(queues.counts(), QUEUE_COUNTS_DEADLINE_MS);
          for (const [queue, states] of Object.entries(counts)) {
            for (const state of ['waiting', 'active', 'delayed', 'failed', 'prioritized']) {
              this.set({ queue, state }, states[state] ?? 0);
            }
          }
        } catch {
          // Redis away or slow: keep the last values; readiness reports the outage
        }
      },
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    return (existing as Counter<L>) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    const existing = this.registry.getSingleMetric(name);
    return (existing as Histogram<L>) ?? new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /**
   * A gauge read at scrape time (`read` answers undefined while the value is unknown: the
   * last value stays). Costs nothing between scrapes.
   */
  gauge(name: string, help: string, read: () => number | undefined): Gauge {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Gauge;
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        const v = read();
        if (v !== undefined) this.set(v);
      },
    });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }
}
