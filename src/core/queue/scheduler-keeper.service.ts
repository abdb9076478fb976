import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue, RepeatOptions } from 'bullmq';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';

type Restore = () => Promise<unknown>;

/**
 * Job schedulers (workflow schedules, maintenance, token refresh) live only in Redis. A Redis
 * that comes back without its data (no persistence, a failover to an empty replica) has lost
 * them, and nothing in BullMQ puts them back: schedules would silently stop until the next
 * deploy. Features register an idempotent restore here; the keeper runs each one at start,
 * again after every reconnect of the shared Redis client, and every
 * SCHEDULER_CHECK_INTERVAL_SECONDS as a backstop.
 */
@Injectable()
export class SchedulerKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerKeeper.name);
  private readonly restores = new Map<string, Restore>();
  private timer?: NodeJS.Timeout;
  private connectedOnce = false;
  private stopped = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    const every = this.config.queue.schedulerCheckIntervalSeconds;
    if (every > 0) {
      this.timer = setInterval(() => this.runAll('periodic check'), every * 1000);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
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

/**
 * Adds a job scheduler only when it is missing. Re-upserting an existing `every` scheduler
 * would move its next run, so a periodic check must not touch schedulers that are there.
 */
export async function ensureJobScheduler(
  queue: Queue,
  id: string,
  repeat: Omit<RepeatOptions, 'key'>,
  template: { name: string; data: unknown; opts?: Record<string, unknown> },
): Promise<boolean> {
  if (await queue.getJobScheduler(id)) return false;
  await queue.upsertJobScheduler(id, repeat, template as never);
  return true;
}
