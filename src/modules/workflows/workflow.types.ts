/**
 * The trigger and settings of a workflow, as stored in `workflows.trigger` / `workflows.settings`.
 * A trigger's fields belong to its type's handler (src/modules/triggers/<type>/); this is the
 * same shape as the trigger contract's StoredTrigger.
 */
export interface WorkflowTrigger {
  type: string;
  [field: string]: unknown;
}

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
