import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { parseApiDate } from '../../core/errors/query-params';
import { QueueService } from '../../core/queue/queue.module';
import { RunExecutionJob } from '../../core/queue/queue.registry';
import { AuthUser } from '../../core/security/auth-user';
import { EncryptionService } from '../../core/security/encryption.service';
import { EngineService } from '../engine/engine.service';
import { scrubMessage, toStored } from '../engine/stored-value';
import { WorkflowStatsDto } from '../workflows/dto/workflow.dto';
import { WorkflowsService } from '../workflows/workflows.service';
import { AcceptedDto, DryRunResultDto, ExecutionDetailDto, ExecutionSummaryDto, LogsPageDto, LogsQueryDto } from './dto/execution.dto';
import { FINAL_STATUSES } from './entities/execution.entity';
import { inputAad, isUuid } from './execution-id';
import { ExecutionProducer } from './execution.producer';
import { ExecutionCursor, ExecutionsRepository } from './executions.repository';

function encodeCursor(c: ExecutionCursor): string {
  return Buffer.from(JSON.stringify([c.receivedAt, c.id])).toString('base64url');
}

function decodeCursor(s: string): ExecutionCursor {
  try {
    const [receivedAt, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    // The same date rule as every date parameter: a forged cursor with +275760-09-13 was a 500.
    const at = parseApiDate(receivedAt);
    if (!at || typeof id !== 'string' || !isUuid(id)) throw new Error();
    return { receivedAt: at.toISOString(), id };
  } catch {
    throw AppException.validation([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
}

/** The execution log, manual runs, retries, dry runs and per-workflow statistics. */
@Injectable()
export class ExecutionsService {
  constructor(
    private readonly executions: ExecutionsRepository,
    private readonly workflows: WorkflowsService,
    private readonly producer: ExecutionProducer,
    private readonly engine: EngineService,
    private readonly queues: QueueService,
    private readonly encryption: EncryptionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async logs(user: AuthUser, q: LogsQueryDto): Promise<LogsPageDto> {
    if (q.from && q.to && q.from >= q.to) throw AppException.validation([{ field: 'to', message: 'to must be after from' }]);
    const limit = q.limit ?? 50;
    const rows = await this.executions.list(
      user.tenantId,
      { statuses: q.status, workflowId: q.workflowId, triggers: q.trigger, from: q.from, to: q.to },
      limit + 1,
      q.cursor ? decodeCursor(q.cursor) : undefined,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(ExecutionSummaryDto.from),
      nextCursor: rows.length > limit && last ? encodeCursor({ receivedAt: new Date(last.receivedAt).toISOString(), id: last.id }) : null,
    };
  }

  /** One execution with per-step detail; a run accepted but not yet picked up shows as `queued`. */
  async get(user: AuthUser, id: string): Promise<ExecutionDetailDto> {
    const row = await this.executions.findInTenant(user.tenantId, id);
    if (row) return ExecutionDetailDto.fromEntity(row);
    const job = await this.queues.queue('executions').getJob(id).catch(() => undefined);
    const data = job?.data as RunExecutionJob | undefined;
    if (!job || job.name !== 'run' || data?.tenantId !== user.tenantId) throw AppException.notFound('Execution');
    return {
      id,
      workflowId: data.workflowId,
      workflowName: '',
      workflowVersion: null,
      trigger: data.trigger,
      status: 'queued',
      attempts: 0,
      retryOf: data.retryOf ?? null,
      error: null,
      scheduledFor: null,
      receivedAt: data.receivedAt,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      input: null,
      inputTruncated: false,
      steps: [],
    };
  }

  /** Runs the same workflow again with the same input: a new execution pointing at this one. */
  async retry(user: AuthUser, id: string): Promise<AcceptedDto> {
    const row = await this.executions.findInTenant(user.tenantId, id);
    if (!row) throw AppException.notFound('Execution');
    if (!FINAL_STATUSES.includes(row.status)) throw AppException.conflict('EXECUTION_NOT_FINISHED', `Execution is ${row.status}; retry it once it has finished`);
    if (!row.workflowId) throw AppException.conflict('WORKFLOW_DELETED', 'The workflow of this execution was deleted');
    const workflow = await this.workflows.find(user.tenantId, row.workflowId).catch(() => {
      throw AppException.conflict('WORKFLOW_DELETED', 'The workflow of this execution was deleted');
    });
    const sealed = await this.executions.sealedInput(user.tenantId, id);
    let payload: unknown = row.input;
    if (sealed) payload = this.encryption.decryptJson(sealed, inputAad(id));
    else if (row.inputTruncated) throw AppException.conflict('INPUT_NOT_KEPT', 'The input of this execution was not kept in full, so it cannot be replayed');
    const { executionId } = await this.producer.enqueue({
      tenantId: user.tenantId,
      workflowId: workflow.id,
      trigger: 'retry',
      payload,
      settings: workflow.settings,
      retryOf: id,
      userId: user.userId,
    });
    return { executionId };
  }

  async run(user: AuthUser, workflowId: string, payload: unknown, idempotencyKey?: string): Promise<AcceptedDto & { duplicate: boolean }> {
    const workflow = await this.workflows.find(user.tenantId, workflowId);
    return this.producer.enqueue({
      tenantId: user.tenantId,
      workflowId,
      trigger: 'manual',
      payload,
      settings: workflow.settings,
      idempotencyKey,
      userId: user.userId,
    });
  }

  /**
   * Runs the current steps now, with this payload; answers every step and writes no execution.
   * The engine's render budget bounds what the steps build; each input and output is then shown
   * as the execution log keeps it (redacted, cut at EXECUTION_MAX_STORED_BYTES), so the answer
   * stays small whatever the steps reference.
   */
  async dryRun(user: AuthUser, workflowId: string, payload: unknown): Promise<DryRunResultDto> {
    const w = await this.workflows.find(user.tenantId, workflowId);
    const max = this.config.executions.maxStoredBytes;
    const outcome = await this.engine.run({
      tenantId: user.tenantId,
      steps: w.steps,
      trigger: payload ?? null,
      stepTimeoutMs: w.settings.stepTimeoutMs,
      execution: { id: null, workflowId: w.id, workflowVersion: w.version, attempt: 1, trigger: 'manual', dryRun: true },
    });
    return {
      status: outcome.status,
      durationMs: outcome.durationMs,
      workflowVersion: w.version,
      steps: outcome.steps.map((s) => ({
        ...s,
        ...(s.input !== undefined ? { input: toStored(s.input, max).value } : {}),
        ...(s.output !== undefined ? { output: toStored(s.output, max).value } : {}),
        ...(s.error ? { error: { ...s.error, message: scrubMessage(s.error.message) } } : {}),
      })),
      ...(outcome.error ? { error: { ...outcome.error, message: scrubMessage(outcome.error.message) } } : {}),
    };
  }

  async stats(user: AuthUser, workflowId: string): Promise<WorkflowStatsDto> {
    await this.workflows.find(user.tenantId, workflowId);
    const r = await this.executions.stats(user.tenantId, workflowId);
    const decided = r.succeeded + r.failed;
    const round = (n: number | null) => (n === null || n === undefined ? null : Math.round(Number(n) * 100) / 100);
    return {
      workflowId,
      total: r.total,
      byStatus: { queued: r.queued, running: r.running, succeeded: r.succeeded, failed: r.failed, cancelled: r.cancelled },
      successRate: decided ? Math.round((r.succeeded / decided) * 10_000) / 10_000 : null,
      lastRunAt: r.last_run_at ? new Date(r.last_run_at).toISOString() : null,
      lastStatus: r.last_status,
      p50DurationMs: round(r.p50),
      p95DurationMs: round(r.p95),
    };
  }
}
