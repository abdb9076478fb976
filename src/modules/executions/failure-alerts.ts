import { Injectable, Logger } from '@nestjs/common';
import { withDeadline } from '../../core/async/deadline';
import { QueueService } from '../../core/queue/queue.module';
import { RunExecutionJob, TriggerKind } from '../../core/queue/queue.registry';
import { hideSecrets, scrubMessage } from '../../core/secrets';
import type { StepDefinition } from '../engine';
import { executionJobOptions, WorkflowCache } from '../workflows';
import type { ExecutionError } from './entities/execution.entity';
import { executionIdForJob } from './execution-id';

/**
 * The trigger name of a run started as another workflow's error handler. A failed run with this
 * trigger never starts a handler: that is the whole loop rule.
 */
export const HANDLER_TRIGGER: TriggerKind = 'error';

/** How long the worker waits for Redis to take a handler's job before it gives the alert up (logged). */
const ENQUEUE_PATIENCE_MS = 5000;

/** What the handler's steps read as `{{trigger...}}`: the failure, never step inputs, outputs or credentials. */
export interface FailurePayload {
  workflow: { id: string; name: string; version: number | null };
  execution: {
    id: string;
    url: string;
    trigger: TriggerKind;
    attempts: number;
    startedAt: string | null;
    finishedAt: string;
  };
  /** The step that failed; null when the run failed outside a step (given up as stalled). */
  failedStep: { name: string; connector: string | null; action: string | null } | null;
  error: { message: string; code: string | null; status: number | null; retryable: boolean };
}

/** A run that failed for good, as the worker knows it when it records the failure. */
export interface FailedRun {
  tenantId: string;
  workflow: { id: string; name: string; version: number | null; steps: StepDefinition[]; errorWorkflowId: string | null };
  executionId: string;
  trigger: TriggerKind;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date;
  error: ExecutionError;
}

/** Whether this failure starts a handler: the workflow names one, and the run was not itself a handler's. */
export function startsHandler(run: Pick<FailedRun, 'trigger' | 'workflow'>): boolean {
  return !!run.workflow.errorWorkflowId && run.trigger !== HANDLER_TRIGGER;
}

/**
 * The job id (and so the execution id) of the one handler run of a failed execution: derived
 * from the failed execution's id, so a redelivery or a second worker recording the same failure
 * adds nothing (BullMQ keeps the first job of an id).
 */
export function handlerJobId(failedExecutionId: string): string {
  return executionIdForJob(`error-${failedExecutionId.toLowerCase()}`);
}

/** The handler's trigger payload. Messages go through the text scrubber and the whole through the secret walk. */
export function failurePayload(run: FailedRun): FailurePayload {
  const step = run.error.step !== undefined ? run.workflow.steps.find((s) => s.name === run.error.step) : undefined;
  const payload: FailurePayload = {
    workflow: { id: run.workflow.id, name: run.workflow.name, version: run.workflow.version },
    execution: {
      id: run.executionId,
      url: `/api/executions/${run.executionId}`,
      trigger: run.trigger,
      attempts: run.attempts,
      startedAt: run.startedAt ? run.startedAt.toISOString() : null,
      finishedAt: run.finishedAt.toISOString(),
    },
    failedStep:
      run.error.step !== undefined ? { name: run.error.step, connector: step?.connector ?? null, action: step?.action ?? null } : null,
    error: {
      message: scrubMessage(run.error.message ?? ''),
      code: run.error.code ?? null,
      status: run.error.status ?? null,
      retryable: !!run.error.retryable,
    },
  };
  return hideSecrets(payload, { credentialText: true }).value as FailurePayload;
}

/**
 * Failure alerts (docs/failure-alerts.md): when a run fails for good and its workflow names an
 * error workflow, one run of that workflow is queued with trigger `error` and the failure as its
 * payload. Never throws: an alert that cannot be queued is logged, and the failed run is
 * recorded as usual.
 */
@Injectable()
export class FailureAlerts {
  private readonly logger = new Logger(FailureAlerts.name);

  constructor(
    private readonly queues: QueueService,
    private readonly workflows: WorkflowCache,
  ) {}

  /** Queues the handler run of this failure, if there is one to queue; the handler's execution id, or null. */
  async alert(run: FailedRun): Promise<string | null> {
    if (!startsHandler(run)) return null;
    const handlerId = run.workflow.errorWorkflowId!;
    try {
      const handler = await this.workflows.get(handlerId);
      // deleted meanwhile (the column is set to null on delete; a cached copy may still name it)
      if (!handler || handler.tenantId !== run.tenantId) return null;
      const jobId = handlerJobId(run.executionId);
      // Key order as ExecutionProducer: the small fields first, the payload last (pending-runs reads the head).
      const data: RunExecutionJob = {
        tenantId: run.tenantId,
        workflowId: handler.id,
        trigger: HANDLER_TRIGGER,
        receivedAt: new Date().toISOString(),
        payload: failurePayload(run),
      };
      await withDeadline(
        this.queues.add('executions', 'run', data, { jobId, ...executionJobOptions(handler.settings) }),
        ENQUEUE_PATIENCE_MS,
        `Redis did not take the error workflow's run within ${ENQUEUE_PATIENCE_MS} ms`,
      );
      this.logger.log(
        {
          tenantId: run.tenantId,
          workflowId: run.workflow.id,
          executionId: run.executionId,
          errorWorkflowId: handler.id,
          handlerExecutionId: jobId,
        },
        'Error workflow queued for a failed run',
      );
      return jobId;
    } catch (e) {
      this.logger.warn(
        { tenantId: run.tenantId, workflowId: run.workflow.id, executionId: run.executionId, errorWorkflowId: handlerId },
        `Error workflow not queued: ${(e as Error)?.message ?? String(e)}`,
      );
      return null;
    }
  }
}
