import { OnWorkerEvent } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { setMaxListeners } from 'node:events';
import { Counter, Histogram } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { ROOT_LOGGER } from '../../core/logging/logging.module';
import { MetricsService } from '../../core/metrics/metrics.service';
import { EncryptionService } from '../../core/security/encryption.service';
import { JobPayloads, ScheduledRunJob, TriggerKind } from '../../core/queue/queue.registry';
import { settlesWithin } from '../../core/async/deadline';
import { JobHandlers, JobOf, JobProcessor, QueueProcessor } from '../../core/queue/job-processor';
import { EngineService, RunAbortedError } from '../engine';
import { RunOutcome, StepResult } from '../engine';
import { scrubMessage, toStored } from '../engine';
import { WorkflowCache, WorkflowEntity } from '../workflows';
import { TriggerRegistry } from '../workflows';
import { isDbUnavailable } from './db-unavailable';
import { ExecutionError } from './entities/execution.entity';
import { executionIdForJob, inputAad, scheduledForFromJobId } from './execution-id';
import { ExecutionRow, ExecutionsRepository, FinishExecution, StartExecution } from './executions.repository';
import { HANDLER_TRIGGER, FailureAlerts } from './failure-alerts';
import { RunLog, RunLogFields } from './run-log';

type ExecutionJob = Job<JobPayloads['executions'][keyof JobPayloads['executions']]>;
/** A scheduler's tick; it may name its trigger kind, else it is a schedule. */
type ScheduledData = ScheduledRunJob & { trigger?: TriggerKind };

/** What a run starts from, read from its job (a queued run or a scheduler's tick). */
interface RunInput {
  tenantId: string;
  workflowId: string;
  trigger: TriggerKind;
  payload: unknown;
  receivedAt: Date;
  scheduledFor: Date | null;
  retryOf: string | null;
  /** A scheduler's tick: skipped (and its scheduler dropped) when the workflow is no longer scheduled. */
  fromScheduler: boolean;
}

/** Runs a person asked for (POST run, retry): they go ahead on an inactive workflow. */
const REQUESTED_RUNS = new Set(['manual', 'retry']);
/** Runs that go ahead on an inactive workflow: a person's, and an error workflow's (it has no trigger of its own to switch off). */
const RUNS_WHEN_INACTIVE = new Set([...REQUESTED_RUNS, HANDLER_TRIGGER]);

/** How long a database outage may hold a finished run's result before the job is released. */
const FINAL_WRITE_PATIENCE_MS = 30_000;
const DB_DOWN_RETRY_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A tick whose workflow is not visible (yet): put back for TICK_RECHECK_MS, for TICK_GRACE_MS after its due time. */
class TickBeforeCommitError extends Error {}
const TICK_RECHECK_MS = 1000;
const TICK_GRACE_MS = 10_000;
const isFreshTick = (due: Date | null) => due !== null && Date.now() - due.getTime() < TICK_GRACE_MS;

/** This attempt failed (already recorded and logged); BullMQ runs the job again. */
class AttemptFailedError extends Error {}

const DELETED_WORKFLOW = '(deleted workflow)';
const UNKNOWN_WORKFLOW = '(unknown workflow)';

/**
 * The job's first delivery: no earlier attempt failed, no worker died holding it (stalledCounter)
 * and it was never put back (attemptsStarted counts every time a worker took it). Only then can
 * no final row exist yet, so the start row may wait.
 */
export function isFirstDelivery(job: Pick<Job, 'attemptsMade' | 'stalledCounter' | 'attemptsStarted'>): boolean {
  return job.attemptsMade === 0 && !job.stalledCounter && (job.attemptsStarted ?? 0) <= 1;
}

/**
 * The attempt number a re-delivery inserts when its run has no row yet: earlier attempts that
 * failed plus deliveries lost with their worker. (A row that exists counts up by one instead.)
 */
function redeliveryAttempt(job: ExecutionJob): number {
  return job.attemptsMade + (job.stalledCounter ?? 0) + 1;
}

/**
 * The `running` row of a first attempt, written only if the run is still going after `delayMs`
 * (through start's group commit). settle() cancels it if not due yet, or waits for it if it is
 * being written, so the final write always comes after it.
 */
class RunningRow {
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<unknown> | null = null;

  constructor(write: () => Promise<unknown>, delayMs: number, onError: (e: unknown) => void) {
    this.timer = setTimeout(() => {
      this.writing = write().catch(onError);
    }, delayMs);
  }

  async settle(): Promise<void> {
    clearTimeout(this.timer);
    await this.writing;
  }
}

/** The run's log identity from the job alone (before the workflow is loaded). */
function jobLogFields(job: ExecutionJob): RunLogFields {
  // A queued run always names its trigger; a scheduler's tick is a schedule unless it says otherwise.
  const data = job.data as Partial<JobPayloads['executions']['run']> & Partial<ScheduledData>;
  return {
    executionId: executionIdForJob(job.id!),
    tenantId: data.tenantId!,
    workflowId: data.workflowId ?? null,
    trigger: data.trigger ?? 'schedule',
    ...(data.userId ? { userId: data.userId } : {}),
  };
}

/**
 * Runs workflow executions from the executions queue: one execution row per accepted event
 * (upserted by the execution id, so attempts and stalled re-runs never add rows), steps through
 * the engine, retries per the workflow's settings (BullMQ attempts/backoff), the final outcome
 * written once. A run whose database is away waits without spending attempts; a shutdown lets
 * running jobs finish for SHUTDOWN_TIMEOUT_MS, then releases them for another worker.
 */
@QueueProcessor('executions')
export class ExecutionProcessor extends JobProcessor<'executions'> {
  private readonly logger = new Logger(ExecutionProcessor.name);
  private readonly shutdown = new AbortController();
  private readonly finished: Counter<'status' | 'trigger'>;
  private readonly duration: Histogram<'status'>;
  private readonly runLog: RunLog;
  /** A write failed with the database unreachable, and none has succeeded since. */
  private dbSuspect = false;

  protected readonly handlers: JobHandlers<'executions'> = {
    run: (job) => this.execute(job, runInput(job)),
    scheduled: (job) => this.execute(job, scheduledInput(job)),
  };

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly engine: EngineService,
    private readonly workflows: WorkflowCache,
    private readonly triggers: TriggerRegistry,
    private readonly executions: ExecutionsRepository,
    private readonly encryption: EncryptionService,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) rootLogger: PinoLogger,
    private readonly alerts: FailureAlerts,
  ) {
    super();
    this.runLog = new RunLog(rootLogger.child({ context: 'WorkflowRun' }));
    // every running job listens to the shutdown signal
    setMaxListeners(0, this.shutdown.signal);
    this.finished = metrics.counter('flowgate_executions_total', 'Finished workflow executions by status and trigger', [
      'status',
      'trigger',
    ]);
    this.duration = metrics.histogram(
      'flowgate_execution_duration_seconds',
      'Workflow execution duration (final attempt) by status',
      ['status'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    );
  }

  protected concurrency(): number {
    return this.config.executions.concurrency;
  }

  override onApplicationBootstrap(): void {
    // Stall detection: a job whose worker died loses its lock after lockDuration and is put
    // back by any live worker's stalled check.
    Object.assign(this.worker.opts, {
      lockDuration: this.config.executions.lockDurationMs,
      stalledInterval: this.config.executions.stalledIntervalMs,
      maxStalledCount: 3,
    });
    super.onApplicationBootstrap();
  }

  protected override async drain(closing: Promise<void>): Promise<void> {
    if (!(await settlesWithin(closing, this.config.shutdownTimeoutMs))) {
      this.logger.warn(`Running executions did not finish within ${this.config.shutdownTimeoutMs} ms: releasing them to other workers`);
      this.shutdown.abort();
      await settlesWithin(closing, 5000);
    }
  }

  /**
   * BullMQ failed a job without our code deciding it (stalled too often): record it once. The
   * run may have no row (its deliveries died before their `running` row was due), so the
   * failure is an upsert built from the job alone.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: ExecutionJob | undefined, err: Error): Promise<void> {
    // our own failures (a step failed) are recorded where they happen
    if (!job?.id || err instanceof AttemptFailedError || err instanceof UnrecoverableError || !/stalled/i.test(err?.message ?? '')) return;
    const error = { message: `The run was interrupted repeatedly (${err.message})`, retryable: false, code: 'STALLED' };
    this.runLog.finished(jobLogFields(job), 'failed', null, error);
    const record = async () => {
      const input =
        job.name === 'scheduled' ? scheduledInput(job as JobOf<'executions', 'scheduled'>) : runInput(job as JobOf<'executions', 'run'>);
      const workflow = await this.workflows.get(input.workflowId).catch(() => null);
      const owned = workflow && workflow.tenantId === input.tenantId ? workflow : null;
      const base = this.startOf(job, input, owned, UNKNOWN_WORKFLOW);
      // every delivery of this job died: it was started attemptsMade + stalledCounter times
      const attempts = Math.max(1, job.attemptsMade + (job.stalledCounter ?? 0));
      const startedAt = new Date(job.processedOn ?? Date.now());
      // given up as stalled is a failure for good: its error workflow runs (no failed step)
      if (owned) {
        await this.alerts.alert({
          tenantId: owned.tenantId,
          workflow: owned,
          executionId: base.id,
          trigger: input.trigger,
          attempts,
          startedAt,
          finishedAt: new Date(),
          error,
        });
      }
      await this.executions.record({ ...base, attempts, startedAt }, { status: 'failed', steps: [], error, durationMs: null });
    };
    await record().catch(() => undefined);
  }

  override async process(job: ExecutionJob, token?: string): Promise<unknown> {
    try {
      return await super.process(job, token);
    } catch (e) {
      if (e instanceof RunAbortedError) return this.release(job, token, 0, 'worker shutting down');
      if (isDbUnavailable(e)) {
        this.dbSuspect = true;
        return this.release(job, token, DB_DOWN_RETRY_MS, 'database unavailable');
      }
      if (e instanceof TickBeforeCommitError) return this.release(job, token, TICK_RECHECK_MS, 'workflow not visible yet');
      if (!(e instanceof AttemptFailedError || e instanceof UnrecoverableError)) this.runLog.errored(jobLogFields(job), e);
      throw e;
    }
  }

  /** Asks the tick's trigger to remove the scheduler of a workflow that is gone or moved to another trigger. */
  private async dropScheduler(trigger: string, input: RunInput): Promise<void> {
    await this.triggers.get(trigger)?.deactivate({
      id: input.workflowId,
      tenantId: input.tenantId,
      active: false,
      trigger: { type: trigger },
      // Only the id matters to removing a scheduler; settings are not read.
      settings: { retries: 0, backoff: { type: 'fixed', delayMs: 0 }, stepTimeoutMs: 0 },
    });
  }

  /** Puts the job back (delayed) without spending an attempt. */
  private async release(job: ExecutionJob, token: string | undefined, delayMs: number, why: string): Promise<never> {
    this.runLog.released(jobLogFields(job), why);
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  private async execute(job: ExecutionJob, input: RunInput): Promise<unknown> {
    const jobId = job.id!;
    const id = executionIdForJob(jobId);
    const { trigger, payload } = input;
    const logFields = jobLogFields(job);

    const workflow = await this.workflows.get(input.workflowId);
    const owned = workflow && workflow.tenantId === input.tenantId ? workflow : null;
    const base = this.startOf(job, input, owned);

    if (input.fromScheduler && !owned && isFreshTick(input.scheduledFor)) {
      // A scheduler is written inside its workflow's save transaction, so its first tick can fire
      // before the row commits: look again shortly (uncached) before calling the scheduler stale.
      this.workflows.invalidate(input.workflowId);
      throw new TickBeforeCommitError();
    }
    if (input.fromScheduler && (!owned || !owned.active || owned.trigger.type !== trigger)) {
      // A tick of a scheduler that no longer should exist: its trigger drops it, nothing is recorded.
      if (!owned || owned.trigger.type !== trigger) await this.dropScheduler(trigger, input).catch(() => undefined);
      return { skipped: 'workflow not scheduled' };
    }
    // What a trigger started on its own is cancelled once its workflow is off; a person's run is not.
    if (!owned || (!owned.active && !RUNS_WHEN_INACTIVE.has(trigger))) {
      const message = !owned ? 'The workflow was deleted before the run started' : 'The workflow was deactivated before the run started';
      const error = { message, retryable: false, code: 'WORKFLOW_UNAVAILABLE' };
      await this.executions.recordEnded(base, { status: 'cancelled', steps: [], error, durationMs: 0 });
      this.runLog.finished(logFields, 'cancelled', 0, error);
      this.finished.inc({ status: 'cancelled', trigger });
      return { cancelled: message };
    }

    // First delivery: no row until the run outlives runningRowAfterMs (a quick run is written
    // once, at its end). A re-delivery (retry, stalled, released) records its start first, as
    // the check that a run whose final row exists runs nothing again.
    const delayMs = this.config.executions.runningRowAfterMs;
    const startedAt = new Date();
    let attempt: number;
    let row: RunningRow | null = null;
    // While the database looks away, a run records its start first (and is released if it cannot),
    // rather than running steps whose result might not be stored.
    if (delayMs > 0 && isFirstDelivery(job) && !this.dbSuspect) {
      attempt = 1;
      row = new RunningRow(
        () => this.executions.start({ ...base, attempts: attempt, startedAt }),
        delayMs,
        (e) => {
          if (isDbUnavailable(e)) this.dbSuspect = true;
          this.logger.warn(
            `Could not write the running row of execution ${id} (the final write will)${isDbUnavailable(e) ? ': database unavailable' : ''}`,
          );
        },
      );
    } else {
      const started = await this.executions.start({ ...base, attempts: redeliveryAttempt(job), startedAt });
      this.dbSuspect = false;
      if (started === null) return { skipped: 'already finished' };
      attempt = started;
    }
    logFields.attempt = attempt;
    this.runLog.started(logFields, owned.version);
    // written only when this attempt has no row yet (the first-delivery path)
    const full: ExecutionRow = { ...base, attempts: attempt, startedAt };

    let outcome: RunOutcome;
    try {
      outcome = await this.engine.run({
        tenantId: owned.tenantId,
        steps: owned.steps,
        trigger: payload,
        stepTimeoutMs: owned.settings.stepTimeoutMs,
        execution: { id, workflowId: owned.id, workflowVersion: owned.version, attempt, trigger },
        signal: this.shutdown.signal,
      });
    } finally {
      // the running row, if it is being written, lands before anything that follows it
      await row?.settle();
    }
    const steps = outcome.steps.map((s) => this.storable(s));
    const durationMs = Math.round(outcome.durationMs);
    const final = (f: FinishExecution) =>
      this.writeFinal(() => (row ? this.executions.record(full, f) : this.executions.finish(owned.tenantId, id, f)));

    if (outcome.status === 'succeeded') {
      await final({ status: 'succeeded', steps, error: null, durationMs });
      this.observe('succeeded', trigger, outcome);
      this.runLog.finished(logFields, 'succeeded', durationMs);
      return { status: 'succeeded' };
    }
    this.runLog.failedSteps(logFields, steps);

    const error: ExecutionError = { ...outcome.error!, message: scrubMessage(outcome.error!.message) };
    const attemptsAllowed = job.opts.attempts ?? 1;
    const willRetry = error.retryable && job.attemptsMade + 1 < attemptsAllowed;
    if (willRetry) {
      await this.executions.markRetrying(full, steps, error);
      this.runLog.finished(logFields, 'failed', durationMs, error, true);
      throw new AttemptFailedError(`Step "${error.step}" failed (attempt ${job.attemptsMade + 1} of ${attemptsAllowed}): ${error.message}`);
    }
    // The error workflow is queued before the final write: a worker lost in between leaves a
    // redelivery that runs again and queues the same handler job id (a no-op), not a lost alert.
    await this.alerts.alert({
      tenantId: owned.tenantId,
      workflow: owned,
      executionId: id,
      trigger,
      attempts: attempt,
      startedAt,
      finishedAt: new Date(),
      error,
    });
    await final({ status: 'failed', steps, error, durationMs });
    this.observe('failed', trigger, outcome);
    this.runLog.finished(logFields, 'failed', durationMs, error);
    throw new UnrecoverableError(`Step "${error.step}" failed: ${error.message}`);
  }

  /** The row's columns from the job and its workflow (as it is now). */
  private startOf(
    job: ExecutionJob,
    input: RunInput,
    owned: Pick<WorkflowEntity, 'id' | 'name' | 'version'> | null,
    missingName = DELETED_WORKFLOW,
  ): StartExecution {
    const id = executionIdForJob(job.id!);
    const storedInput = toStored(input.payload, this.config.executions.maxStoredBytes);
    return {
      id,
      tenantId: input.tenantId,
      workflowId: owned?.id ?? null,
      workflowName: owned?.name ?? missingName,
      workflowVersion: owned?.version ?? null,
      trigger: input.trigger,
      jobId: job.id!,
      input: storedInput.value,
      inputTruncated: storedInput.truncated,
      // Retries replay the exact input: keep it sealed when the shown one hides or cuts something.
      inputSealed: storedInput.truncated || storedInput.redacted ? this.encryption.encryptJson(input.payload ?? null, inputAad(id)) : null,
      retryOf: input.retryOf,
      scheduledFor: input.scheduledFor,
      receivedAt: input.receivedAt,
    };
  }

  /** The final write waits out a short database outage instead of re-running the steps. */
  private async writeFinal(write: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + FINAL_WRITE_PATIENCE_MS;
    for (;;) {
      try {
        await write();
        this.dbSuspect = false;
        return;
      } catch (e) {
        if (!isDbUnavailable(e)) throw e;
        this.dbSuspect = true;
        if (Date.now() > deadline) throw e;
        await sleep(1000);
      }
    }
  }

  private storable(s: StepResult): StepResult {
    const max = this.config.executions.maxStoredBytes;
    const out: StepResult = { ...s };
    if (s.input !== undefined) out.input = toStored(s.input, max).value;
    if (s.output !== undefined) out.output = toStored(s.output, max).value;
    if (s.error) out.error = { ...s.error, message: scrubMessage(s.error.message) };
    return out;
  }

  private observe(status: 'succeeded' | 'failed', trigger: TriggerKind, outcome: RunOutcome): void {
    this.finished.inc({ status, trigger });
    this.duration.observe({ status }, outcome.durationMs / 1000);
  }
}

function runInput(job: JobOf<'executions', 'run'>): RunInput {
  const data = job.data;
  return {
    tenantId: data.tenantId,
    workflowId: data.workflowId,
    trigger: data.trigger,
    payload: data.payload,
    receivedAt: new Date(data.receivedAt ?? job.timestamp),
    scheduledFor: null,
    retryOf: data.retryOf ?? null,
    fromScheduler: false,
  };
}

/** A tick's input is when it was due and when it fired; its execution id comes from the due time (job id). */
function scheduledInput(job: JobOf<'executions', 'scheduled'>): RunInput {
  const data: ScheduledData = job.data;
  const scheduledFor = scheduledForFromJobId(job.id!);
  return {
    tenantId: data.tenantId,
    workflowId: data.workflowId,
    trigger: data.trigger ?? 'schedule',
    payload: { scheduledFor: scheduledFor?.toISOString() ?? null, firedAt: new Date().toISOString() },
    receivedAt: scheduledFor ?? new Date(job.timestamp),
    scheduledFor,
    retryOf: null,
    fromScheduler: true,
  };
}
