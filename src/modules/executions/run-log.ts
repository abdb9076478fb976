import type { Logger } from 'pino';
import type { TriggerKind } from '../../core/queue/queue.registry';
import type { StepResult } from '../engine';
import type { ExecutionError } from './entities/execution.entity';

/** What names a run on each of its log lines: ids only, never the payload, outputs or secrets. */
export interface RunLogFields {
  executionId: string;
  tenantId: string;
  workflowId: string | null;
  trigger: TriggerKind;
  /** Manual runs and retries: who asked. */
  userId?: string;
  attempt?: number;
}

/**
 * The log lines of a workflow run: its start and end at info, each failed step at warn.
 * Plain pino calls on the worker's hot path (thousands of runs per second): small objects of
 * ids and codes, nothing serialized that the run carries. Step error messages are the scrubbed
 * ones the execution log shows users.
 */
export class RunLog {
  constructor(private readonly log: Logger) {}

  started(f: RunLogFields, workflowVersion: number): void {
    this.log.info({ ...f, workflowVersion }, 'workflow run started');
  }

  /** `willRetry`: this attempt failed and BullMQ will run another. */
  finished(
    f: RunLogFields,
    status: 'succeeded' | 'failed' | 'cancelled',
    durationMs: number | null,
    error?: ExecutionError | null,
    willRetry = false,
  ): void {
    this.log.info(
      {
        ...f,
        status,
        durationMs,
        ...(error ? { errorCode: error.code, ...(error.step ? { failedStep: error.step } : {}) } : {}),
        ...(willRetry ? { willRetry } : {}),
      },
      'workflow run finished',
    );
  }

  /** One warn line per failed step (`steps` already scrubbed for storage). */
  failedSteps(f: RunLogFields, steps: StepResult[]): void {
    for (const s of steps) {
      if (s.status !== 'failed' || !s.error) continue;
      this.log.warn(
        {
          ...f,
          step: s.name,
          stepType: s.type,
          ...(s.connector ? { connector: s.connector, action: s.action } : {}),
          errorCode: s.error.code,
          ...(s.error.status !== undefined ? { errorStatus: s.error.status } : {}),
          retryable: s.error.retryable,
          error: s.error.message,
        },
        'workflow step failed',
      );
    }
  }

  /** A run put back without spending an attempt (worker stopping, database away). */
  released(f: RunLogFields, why: string): void {
    this.log.warn({ ...f, reason: why }, 'workflow run released');
  }

  /** Something other than a step failed (a bug, a store error): BullMQ retries the job. */
  errored(f: RunLogFields, err: unknown): void {
    this.log.error({ ...f, err }, 'workflow run errored');
  }
}
