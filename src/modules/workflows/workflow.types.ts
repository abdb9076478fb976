/** The trigger and settings of a workflow, as stored in `workflows.trigger` / `workflows.settings`. */

export type WorkflowTrigger =
  { type: 'webhook' } | { type: 'schedule'; intervalSeconds: number } | { type: 'schedule'; cron: string; timezone: string };

export interface BackoffSettings {
  type: 'exponential' | 'fixed';
  delayMs: number;
}

export interface WorkflowSettings {
  /** Extra attempts after the first failure (BullMQ attempts = retries + 1). */
  retries: number;
  backoff: BackoffSettings;
  /** Every step is bounded by this. */
  stepTimeoutMs: number;
}

export const DEFAULT_SETTINGS: Omit<WorkflowSettings, 'stepTimeoutMs'> = {
  retries: 2,
  backoff: { type: 'exponential', delayMs: 1000 },
};

export function isScheduled(t: WorkflowTrigger): t is Extract<WorkflowTrigger, { type: 'schedule' }> {
  return t.type === 'schedule';
}
