/**
 * The one place that names queues and the payload of every job. Queue and job name strings
 * never change once released (they live in Redis across deploys). Jobs carry ids and small
 * inputs, never secrets.
 */
export const QUEUES = {
  /** Workflow runs: webhook, manual, retry and schedule-fired. */
  executions: 'executions',
  /** Housekeeping: retention pruning, the stuck-run reconciler, execution partitions ahead. */
  maintenance: 'maintenance',
  /** Marketplace: pulling a company's locations, contacts and products through Nango. */
  companySync: 'company-sync',
  /** Marketplace: hourly sweep and per-company forced token refresh, daily cleanup. */
  tokenRefresh: 'token-refresh',
} as const;

export type QueueKey = keyof typeof QUEUES;
export type QueueName = (typeof QUEUES)[QueueKey];

/**
 * What started a run: a registered trigger type (built in: `webhook`, `schedule`, `manual`),
 * or `retry`. Open on purpose: a trigger type is a plug-in, not a list kept here.
 */
export type TriggerKind = string;

export interface RunExecutionJob {
  tenantId: string;
  workflowId: string;
  trigger: TriggerKind;
  /** The event as received (size-capped at ingest); never credentials. */
  payload: unknown;
  /** For retries: the execution whose input is replayed. */
  retryOf?: string;
  /** Who asked for the run (manual runs and retries), for the run's log lines. */
  userId?: string;
  receivedAt: string;
}

export interface ScheduledRunJob {
  tenantId: string;
  workflowId: string;
  /** The run's trigger (`schedule`); absent on schedulers written before it was carried. */
  trigger?: TriggerKind;
}

/** Job name → payload, per queue. A producer cannot enqueue a payload of the wrong shape. */
export interface JobPayloads {
  executions: {
    run: RunExecutionJob;
    scheduled: ScheduledRunJob;
  };
  maintenance: {
    'prune-executions': Record<string, never>;
    'reconcile-stuck': Record<string, never>;
    'ensure-execution-partitions': Record<string, never>;
    /** Deletes audit_log rows older than AUDIT_RETENTION_DAYS. */
    'prune-audit': Record<string, never>;
  };
  companySync: {
    sync: { tenantId: string; companyId: string; syncRunId: string };
  };
  tokenRefresh: {
    sweep: Record<string, never>;
    /** `force`: admin refresh-all (skips the "refreshed moments ago" check a sweep makes). */
    refresh: { tenantId: string; companyId: string; force?: boolean };
    cleanup: Record<string, never>;
  };
}

export type JobName<Q extends QueueKey> = keyof JobPayloads[Q] & string;
export type JobData<Q extends QueueKey, N extends JobName<Q>> = JobPayloads[Q][N];

/**
 * Every job name of every queue, at run time (TypeScript types are gone by then): start-up
 * checks each queue a host runs has exactly one handler per name. `Record` makes the compiler
 * refuse a name missing here or one that JobPayloads does not have.
 */
const JOB_NAME_SETS: { [Q in QueueKey]: Record<JobName<Q>, true> } = {
  executions: { run: true, scheduled: true },
  maintenance: { 'prune-executions': true, 'reconcile-stuck': true, 'ensure-execution-partitions': true, 'prune-audit': true },
  companySync: { sync: true },
  tokenRefresh: { sweep: true, refresh: true, cleanup: true },
};

export function jobNamesOf<Q extends QueueKey>(key: Q): Array<JobName<Q>> {
  return Object.keys(JOB_NAME_SETS[key]) as Array<JobName<Q>>;
}

export const QUEUE_KEYS = Object.keys(QUEUES) as QueueKey[];

/** The queue key of a queue name as it appears in Redis and in WORKER_QUEUES (`company-sync` → `companySync`). */
export function queueKeyOf(name: string): QueueKey | undefined {
  return QUEUE_KEYS.find((k) => QUEUES[k] === name);
}
