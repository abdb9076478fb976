import type { JobsOptions } from 'bullmq';
import { WorkflowSettings } from './workflow.types';

/** Finished jobs are kept a while (job ids stay unique, the reconciler can read failures), then dropped. */
export const KEEP_COMPLETED = { age: 3600, count: 1000 };
export const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };

/** BullMQ attempts and backoff from a workflow's settings: attempts = retries + 1. */
export function executionJobOptions(
  settings: WorkflowSettings,
): Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'> {
  return {
    attempts: settings.retries + 1,
    backoff: { type: settings.backoff.type, delay: settings.backoff.delayMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}
