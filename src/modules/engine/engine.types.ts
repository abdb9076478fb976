/** Shapes shared by the workflow definition, the runner, the dry run and the execution log. */

export const STEP_TYPES = ['connector', 'condition', 'transform'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** One step of a workflow as stored (params still hold their `{{templates}}`). */
export interface StepDefinition {
  name: string;
  type: StepType;
  /** Connector steps only. */
  connector?: string;
  action?: string;
  credentialId?: string;
  params: Record<string, unknown>;
}

/** `planned`: only in a dry run without side effects (a side-effecting connector step that was not run); never stored. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'planned';

/** What a planned step would have sent (secrets masked). */
export interface PlannedStepRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface StepError {
  message: string;
  /** Whether another attempt could help (connector 429/5xx, timeouts). */
  retryable: boolean;
  status?: number;
  code?: string;
  retryAfterSeconds?: number;
}

/** What happened to one step in a run (also what a dry run answers). */
export interface StepResult {
  name: string;
  type: StepType;
  connector?: string;
  action?: string;
  status: StepStatus;
  /** The params after template rendering (secret-looking keys redacted when stored). */
  input?: unknown;
  output?: unknown;
  error?: StepError;
  /** Why a step was skipped: a condition's branch or an earlier failure. */
  skippedReason?: string;
  /** Planned steps (dry run without side effects): the request that was not sent; `output` is the action's sample output. */
  request?: PlannedStepRequest;
  startedAt?: string;
  durationMs: number;
}

export interface RunRequest {
  tenantId: string;
  steps: StepDefinition[];
  /** The trigger payload: `{{trigger...}}`. */
  trigger: unknown;
  /** Per-step time limit; every step is bounded by it. */
  stepTimeoutMs: number;
  /** Exposed to templates as `{{execution...}}` (id, workflowId, attempt...). */
  execution?: Record<string, unknown>;
  /** Aborts the running step (worker shutdown, caller gone). */
  signal?: AbortSignal;
  /**
   * False (dry runs only): connector steps whose action has side effects are planned, not run
   * (status `planned`, the request they would send, the action's sample output). Default true.
   */
  sideEffects?: boolean;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed';
  steps: StepResult[];
  /** The failing step's error, with its name. */
  error?: StepError & { step: string };
  durationMs: number;
}

/** Connector side of a step, as the engine sees it (implemented over the connector framework). */
export interface StepConnectors {
  /** Problems with a connector step's definition: unknown connector/action, params not fitting its schema. */
  validateParams(connector: string, action: string, params: Record<string, unknown>): Array<{ field?: string; message: string }>;
  knows(connector: string, action?: string): boolean;
  /** True when the action is safe to run twice and has no side effects. */
  isReadOnly(connector: string, action: string): boolean;
  /**
   * Throws a 400 when the step cannot use the credential; with the step's params, also when a
   * literal `params.url` goes to a host the credential may not be sent to (details name `params.url`).
   */
  assertCredentialUsable(tenantId: string, credentialId: string, connector: string, params?: Record<string, unknown>): Promise<void>;
  /** The credential kinds a connector needs, or null when it can run without a credential. */
  requiredCredentialKinds(connector: string): string[] | null;
  invoke(req: {
    tenantId: string;
    connector: string;
    action: string;
    params: Record<string, unknown>;
    credentialId?: string;
    /** Every call is bounded by this (the step timeout). */
    timeoutMs: number;
    signal?: AbortSignal;
    /** Stable per (execution, step): see stepIdempotencyKey. */
    idempotencyKey?: string;
  }): Promise<unknown>;
  /** The same call, except that an action with side effects is planned: nothing sent, its request and sample output answered. */
  invokeWithoutSideEffects(req: Parameters<StepConnectors['invoke']>[0]): Promise<{ output: unknown; planned?: PlannedStepRequest }>;
}

export const STEP_CONNECTORS = Symbol('STEP_CONNECTORS');
