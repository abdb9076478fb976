import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { RedisClient } from '../redis/redis-client.factory';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';
import { QueueKey } from './queue.registry';
import { QueueService } from './queue.service';
import { QUEUE_GLOBAL_CONCURRENCY, STATIC_SCHEDULERS, StaticScheduler } from './static-schedulers';
import { queuesThisHostRuns } from './worker-queues';

type Restore = () => Promise<unknown>;

const INTERVAL_NAME = 'scheduler-keeper';

/**
 * Job schedulers (workflow schedules, maintenance, token refresh) live only in Redis. A Redis
 * that comes back without its data (no persistence, a failover to an empty replica) has lost
 * them, and nothing in BullMQ puts them back: schedules would silently stop until the next
 * deploy. The keeper installs the static schedulers (STATIC_SCHEDULERS) of the queues this host
 * runs, and features register an idempotent restore for their dynamic ones; each runs at
 * start, again after every reconnect of the shared Redis client, and every
 * SCHEDULER_CHECK_INTERVAL_SECONDS as a backstop.
 */
@Injectable()
export class SchedulerKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerKeeper.name);
  private readonly restores = new Map<string, Restore>();
  private connectedOnce = false;
  private stopped = false;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly timers: SchedulerRegistry,
  ) {}

  /**
   * Registers `restore` (idempotent; cheap when nothing is missing) and runs it now, unless the
   * caller installs its schedulers at start itself (`runNow: false`).
   */
  keep(name: string, restore: Restore, runNow = true): void {
    this.restores.set(name, restore);
    if (runNow) void this.run(name, restore, 'start');
  }

  onApplicationBootstrap(): void {
    this.connectedOnce = this.redis.status === 'ready';
    this.redis.on('ready', this.onReady);
    const ours = this.staticSchedulers();
    const queues = this.settingQueues();
    if (ours.length || queues.length) {
      // At start: upsert (a changed interval applies) or remove a disabled one. Later: put back only what a Redis loss removed.
      void this.run('static', () => this.install(ours, queues), 'start');
      this.keep('static', () => this.restore(ours, queues), false);
    }
    const every = this.config.queue.schedulerCheckIntervalSeconds;
    if (every > 0) {
      const timer = setInterval(() => this.runAll('periodic check'), every * 1000);
      timer.unref();
      this.timers.addInterval(INTERVAL_NAME, timer);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timers.doesExist('interval', INTERVAL_NAME)) this.timers.deleteInterval(INTERVAL_NAME);
    this.redis.off('ready', this.onReady);
  }

  /** The static schedulers of the queues this host runs (an API-only host keeps none). */
  private staticSchedulers(): StaticScheduler[] {
    const running = new Set(queuesThisHostRuns(this.config));
    return STATIC_SCHEDULERS.filter((s) => running.has(s.queue));
  }

  private settingQueues(): QueueKey[] {
    return queuesThisHostRuns(this.config).filter((q) => QUEUE_GLOBAL_CONCURRENCY[q]);
  }

  private async install(schedulers: StaticScheduler[], queues: QueueKey[]): Promise<void> {
    await this.applySettings(queues);
    for (const s of schedulers) {
      if (s.enabled(this.config)) await s.upsert(this.queues, this.config);
      else await this.queues.removeScheduler(s.queue, s.id);
    }
  }

  private async restore(schedulers: StaticScheduler[], queues: QueueKey[]): Promise<void> {
    await this.applySettings(queues);
    for (const s of schedulers) if (s.enabled(this.config)) await s.ensure(this.queues, this.config);
  }

  private async applySettings(queues: QueueKey[]): Promise<void> {
    for (const q of queues) {
      const n = QUEUE_GLOBAL_CONCURRENCY[q]?.(this.config);
      if (n !== undefined) await this.queues.setGlobalConcurrency(q, n);
    }
  }

  /** The first `ready` is the initial connection; any later one may be a Redis without its data. */
  private readonly onReady = (): void => {
    if (!this.connectedOnce) {
      this.connectedOnce = true;
      return;
    }
    this.runAll('Redis reconnected');
  };

  private runAll(why: string): void {
    for (const [name, restore] of this.restores) void this.run(name, restore, why);
  }

  /**
   * Right after a (re)connect BullMQ's own connections may still be connecting: try a few
   * times before giving up until the next trigger.
   */
  private async run(name: string, restore: Restore, why: string, attempts = 10, delayMs = 1000): Promise<void> {
    for (let i = 1; i <= attempts && !this.stopped; i++) {
      try {
        await restore();
        return;
      } catch (e) {
        if (i === attempts) this.logger.warn({ schedulers: name, why, err: e }, `Could not check the ${name} schedulers (${why})`);
        else await new Promise((r) => setTimeout(r, delayMs).unref());
      }
    }
  }
}
