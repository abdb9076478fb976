import type { ErrorDetail } from '../../../core/errors/app-exception';
import type { WorkflowSettings } from '../workflow.types';

/** A workflow's trigger as stored in `workflows.trigger` (jsonb): `type` names its handler. */
export interface StoredTrigger {
  type: string;
  [field: string]: unknown;
}

/** What a trigger handler sees of a workflow: enough to (de)activate it and to enqueue its runs. */
export interface TriggerWorkflow<T extends StoredTrigger = StoredTrigger> {
  id: string;
  tenantId: string;
  active: boolean;
  trigger: T;
  settings: WorkflowSettings;
}

export interface TriggerValidationContext {
  tenantId: string;
  /** Field path prefix for problems, e.g. `trigger`. */
  field: string;
}

export interface TriggerReconcileReport {
  skipped?: 'locked';
  /** Active workflows of this trigger type in the database. */
  expected: number;
  /** Activations restored or updated. */
  upserted: number;
  /** Outside state without a workflow, removed. */
  removed: number;
}

/** A run started on request (POST run, retry): what a trigger that starts runs on demand needs. */
export interface RequestedRun {
  tenantId: string;
  workflowId: string;
  settings: WorkflowSettings;
  payload: unknown;
  /** Who asked, for the run's log lines. */
  userId?: string;
  /** A repeat with the same key (per tenant and workflow) within 24 h answers the first execution. */
  idempotencyKey?: string;
  /** A retry: the execution whose input is replayed (the run's trigger is then `retry`). */
  retryOf?: string;
}

export interface StartedRun {
  executionId: string;
  /** An earlier request with the same idempotency key already started it. */
  duplicate: boolean;
}

/**
 * One kind of trigger (webhook, schedule, amqp, …): everything specific to it lives in its
 * handler, registered once with the `TriggerRegistry`. The workflow lifecycle calls the
 * registry only, never a particular trigger.
 */
export interface TriggerHandler<T extends StoredTrigger = StoredTrigger> {
  /** The `trigger.type` value; also the run's `trigger` in executions and metrics. */
  readonly type: string;
  /** One-line description for the API documentation. */
  readonly description: string;
  /**
   * JSON Schema of this trigger's object (including `type: { const }`), for the OpenAPI
   * document and request validation. Free-form objects use `additionalProperties: true`.
   */
  readonly schema: Record<string, unknown>;
  /**
   * Checks and normalizes the trigger of a create or update (the schema has already passed).
   * Pushes problems naming the field (`trigger.<name>`) and returns null when there are any.
   */
  normalize(input: StoredTrigger, ctx: TriggerValidationContext, problems: ErrorDetail[]): Promise<T | null>;
  /**
   * The workflow is saved active with this trigger (created, updated, toggled on): make the
   * outside world start runs for it. Called inside the save's database transaction: a throw
   * rolls the save back (answered 503 QUEUE_UNAVAILABLE / a clear 4xx, never a 500).
   */
  activate(workflow: TriggerWorkflow<T>): Promise<void>;
  /** The workflow was deactivated, deleted or moved to another trigger type: stop its runs. */
  deactivate(workflow: TriggerWorkflow<T>): Promise<void>;
  /**
   * Makes the outside world match the database for every workflow of this type (at start and
   * periodically): restores lost activations, removes orphans. Optional: webhook has no state.
   */
  reconcile?(): Promise<TriggerReconcileReport>;
  /**
   * Starts one run now. Only triggers that start runs on request have it (manual: POST run and
   * retry, for a workflow of any trigger type).
   */
  enqueue?(run: RequestedRun): Promise<StartedRun>;
}
