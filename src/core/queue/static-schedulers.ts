import type { JobSchedulerTemplateOptions, RepeatOptions } from 'bullmq';
import type { AppConfig } from '../config/app-config';
import { JobData, JobName, QueueKey } from './queue.registry';

export type Repeat = Omit<RepeatOptions, 'key'>;

export interface SchedulerTemplate<Q extends QueueKey, N extends JobName<Q>> {
  name: N;
  data: JobData<Q, N>;
  opts?: JobSchedulerTemplateOptions;
}

/** The scheduler writes a static scheduler needs (QueueService has them). */
export interface SchedulerWriter {
  upsertScheduler<Q extends QueueKey, N extends JobName<Q>>(
    key: Q,
    id: string,
    repeat: Repeat,
    template: SchedulerTemplate<Q, N>,
  ): Promise<unknown>;
  ensureScheduler<Q extends QueueKey, N extends JobName<Q>>(
    key: Q,
    id: string,
    repeat: Repeat,
    template: SchedulerTemplate<Q, N>,
  ): Promise<boolean>;
  removeScheduler(key: QueueKey, id: string): Promise<boolean>;
}

/** A job scheduler that exists whatever the data: declared here, installed and kept by SchedulerKeeper. */
export interface StaticScheduler {
  queue: QueueKey;
  id: string;
  job: string;
  /** Off: the scheduler is removed at start, and not put back. */
  enabled(config: AppConfig): boolean;
  /** At start: create or update (a changed interval applies). */
  upsert(w: SchedulerWriter, config: AppConfig): Promise<unknown>;
  /** Later checks: put it back only when missing (an update would move an `every` scheduler's next run). */
  ensure(w: SchedulerWriter, config: AppConfig): Promise<unknown>;
}

/** Typed declaration: the job name and data are checked against the registry. */
function scheduler<Q extends QueueKey, N extends JobName<Q>>(s: {
  queue: Q;
  id: string;
  repeat: (config: AppConfig) => Repeat;
  job: SchedulerTemplate<Q, N>;
  enabled?: (config: AppConfig) => boolean;
}): StaticScheduler {
  return {
    queue: s.queue,
    id: s.id,
    job: s.job.name,
    enabled: s.enabled ?? (() => true),
    upsert: (w, config) => w.upsertScheduler(s.queue, s.id, s.repeat(config), s.job),
    ensure: (w, config) => w.ensureScheduler(s.queue, s.id, s.repeat(config), s.job),
  };
}

const DAY_MS = 24 * 3600 * 1000;
/** Maintenance ticks keep a short history only. */
const MAINTENANCE_JOB_OPTS = { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } };

/** Token refresh talks to Nango's API: without its settings its schedulers are off. */
export const nangoApiConfigured = (config: AppConfig): boolean => !!config.nango.host && !!config.nango.secretKey;
const tokenRefreshScheduled = (config: AppConfig): boolean => nangoApiConfigured(config) && config.marketplace.refreshSchedulesEnabled;

export const SWEEP_SCHEDULER_ID = 'token-refresh-sweep';
export const CLEANUP_SCHEDULER_ID = 'token-refresh-cleanup';

/**
 * Every static job scheduler (one tick across all replicas). Ids never change once released:
 * they live in Redis across deploys. A host installs those of the queues it runs (WORKER_QUEUES).
 */
export const STATIC_SCHEDULERS: readonly StaticScheduler[] = [
  scheduler({
    queue: 'maintenance',
    id: 'prune-executions',
    repeat: () => ({ every: DAY_MS }),
    job: { name: 'prune-executions', data: {}, opts: MAINTENANCE_JOB_OPTS },
  }),
  scheduler({
    queue: 'maintenance',
    id: 'reconcile-stuck',
    repeat: (c) => ({ every: c.executions.reconcileIntervalSeconds * 1000 }),
    job: { name: 'reconcile-stuck', data: {}, opts: MAINTENANCE_JOB_OPTS },
  }),
  // Daily `executions` partitions for the next EXECUTION_PARTITIONS_AHEAD_DAYS (also run at worker start).
  scheduler({
    queue: 'maintenance',
    id: 'ensure-execution-partitions',
    repeat: () => ({ every: 3600 * 1000 }),
    job: { name: 'ensure-execution-partitions', data: {}, opts: MAINTENANCE_JOB_OPTS },
  }),
  // Audit log retention (AUDIT_RETENTION_DAYS), daily.
  scheduler({
    queue: 'maintenance',
    id: 'prune-audit',
    repeat: () => ({ every: DAY_MS }),
    job: { name: 'prune-audit', data: {}, opts: MAINTENANCE_JOB_OPTS },
  }),
  // Hourly sweep at minute 0; daily cleanup at 03:30 UTC.
  scheduler({
    queue: 'tokenRefresh',
    id: SWEEP_SCHEDULER_ID,
    repeat: () => ({ pattern: '0 * * * *', tz: 'UTC' }),
    job: { name: 'sweep', data: {} },
    enabled: tokenRefreshScheduled,
  }),
  scheduler({
    queue: 'tokenRefresh',
    id: CLEANUP_SCHEDULER_ID,
    repeat: () => ({ pattern: '30 3 * * *', tz: 'UTC' }),
    job: { name: 'cleanup', data: {} },
    enabled: tokenRefreshScheduled,
  }),
];

/**
 * Queue-wide settings that, like schedulers, live only in Redis: applied with the schedulers.
 * TOKEN_REFRESH_CONCURRENCY bounds refreshes across all workers (BullMQ global concurrency).
 */
export const QUEUE_GLOBAL_CONCURRENCY: Partial<Record<QueueKey, (config: AppConfig) => number | undefined>> = {
  tokenRefresh: (c) => (nangoApiConfigured(c) ? c.marketplace.refreshConcurrency : undefined),
};
