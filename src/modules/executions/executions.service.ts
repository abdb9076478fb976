import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { parseApiDate } from '../../core/errors/query-params';
import { AuthUser } from '../../core/security/auth-user';
import { EncryptionService } from '../../core/security/encryption.service';
import { AuditService } from '../audit';
import { EngineService } from '../engine';
import { scrubMessage, toStored } from '../engine';
import { RequestedRun, StartedRun, TriggerRegistry, WorkflowsService } from '../workflows';
import {
  AcceptedDto,
  DryRunResultDto,
  DryRunStepResultDto,
  ExecutionDetailDto,
  ExecutionSummaryDto,
  LogsPageDto,
  LogsQueryDto,
  versionUrl,
} from './dto/execution.dto';
import { WorkflowStatsDto } from './dto/workflow-stats.dto';
import { ExecutionStatus, FINAL_STATUSES } from './entities/execution.entity';
import { inputAad, isUuid } from './execution-id';
import { ExecutionCursor, ExecutionsRepository } from './executions.repository';
import { PendingRuns } from './pending-runs';

function encodeCursor(c: ExecutionCursor): string {
  return Buffer.from(JSON.stringify([c.receivedAt, c.id])).toString('base64url');
}

/** The log's order: receivedAt, then id, both descending (as the SQL orders them). */
function newestFirst(a: ExecutionSummaryDto, b: ExecutionSummaryDto): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
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
    private readonly triggers: TriggerRegistry,
    private readonly engine: EngineService,
    private readonly pending: PendingRuns,
    private readonly encryption: EncryptionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * Recorded runs from PostgreSQL, merged with runs accepted but not yet recorded (from the
   * queue: `queued`, or `running` once a worker has the job) when the `status` filter names
   * `queued` or `running`. The queue is read first: a run recorded in between then shows once,
   * from its row.
   */
  async logs(user: AuthUser, q: LogsQueryDto): Promise<LogsPageDto> {
    if (q.from && q.to && q.from >= q.to) throw AppException.validation([{ field: 'to', message: 'to must be after from' }]);
    const limit = q.limit ?? 50;
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const filters = { statuses: q.status, workflowId: q.workflowId, triggers: q.trigger, from: q.from, to: q.to };
    // Only when asked for: the queue is shared by every tenant, so reading it has a cost of its own.
    const pending = q.status?.some((s) => s === 'queued' || s === 'running')
      ? await this.pending.list(user.tenantId, filters, after)
      : null;
    const rows = (await this.executions.list(user.tenantId, filters, limit + 1, after)).map(ExecutionSummaryDto.from);
    const ids = new Set(rows.map((r) => r.id));
    const merged = [...rows, ...(pending?.runs ?? []).filter((r) => !ids.has(r.id))].sort(newestFirst);
    const page = merged.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: merged.length > limit && last ? encodeCursor({ receivedAt: last.receivedAt, id: last.id }) : null,
      queueScan: pending?.scan ?? null,
    };
  }

  /**
   * One execution with per-step detail. A run accepted but not yet recorded by a worker reads as
   * `queued` from its job; the row is read again when the job is gone, since the worker may
   * have written it in between.
   */
  async get(user: AuthUser, id: string): Promise<ExecutionDetailDto> {
    const row = await this.executions.findInTenant(user.tenantId, id);
    if (row) return ExecutionDetailDto.fromEntity(row);
    const queued = await this.pending.find(user.tenantId, id);
    if (queued) return { ...queued, workflowVersionUrl: versionUrl(queued.workflowId, queued.workflowVersion) };
    const recorded = await this.executions.findInTenant(user.tenantId, id);
    if (!recorded) throw AppException.notFound('Execution');
    return ExecutionDetailDto.fromEntity(recorded);
  }

  /** Runs the same workflow again with the same input: a new execution pointing at this one. */
  async retry(user: AuthUser, id: string): Promise<AcceptedDto> {
    const row = await this.executions.findInTenant(user.tenantId, id);
    if (!row) throw AppException.notFound('Execution');
    if (!FINAL_STATUSES.includes(row.status))
      throw AppException.conflict('EXECUTION_NOT_FINISHED', `Execution is ${row.status}; retry it once it has finished`);
    if (!row.workflowId) throw AppException.conflict('WORKFLOW_DELETED', 'The workflow of this execution was deleted');
    const workflow = await this.workflows.find(user.tenantId, row.workflowId).catch(() => {
      throw AppException.conflict('WORKFLOW_DELETED', 'The workflow of this execution was deleted');
    });
    const sealed = await this.executions.sealedInput(user.tenantId, id);
    let payload: unknown = row.input;
    if (sealed) payload = this.encryption.decryptJson(sealed, inputAad(id));
    else if (row.inputTruncated)
      throw AppException.conflict('INPUT_NOT_KEPT', 'The input of this execution was not kept in full, so it cannot be replayed');
    const { executionId } = await this.manual({
      tenantId: user.tenantId,
      workflowId: workflow.id,
      payload,
      settings: workflow.settings,
      retryOf: id,
      userId: user.userId,
    });
    // A retry writes no row of its own (the new run is a queued job): recorded once the job is queued.
    await this.audit.record(undefined, {
      tenantId: user.tenantId,
      action: 'execution.retry',
      targetType: 'execution',
      targetId: id,
      changes: { before: {}, after: { executionId, workflowId: workflow.id } },
    });
    return { executionId };
  }

  async run(user: AuthUser, workflowId: string, payload: unknown, idempotencyKey?: string): Promise<AcceptedDto & { duplicate: boolean }> {
    const workflow = await this.workflows.find(user.tenantId, workflowId);
    return this.manual({ tenantId: user.tenantId, workflowId, payload, settings: workflow.settings, idempotencyKey, userId: user.userId });
  }

  /** Runs started on request go through the manual trigger (src/modules/triggers/manual). */
  private manual(run: RequestedRun): Promise<StartedRun> {
    const manual = this.triggers.get('manual');
    if (!manual?.enqueue) throw new Error('The manual trigger is not registered (TriggersModule is not imported)');
    return manual.enqueue(run);
  }

  /**
   * Runs the current steps now, with this payload; answers every step and writes no execution.
   * The engine's render budget bounds what the steps build; each input and output is then shown
   * as the execution log keeps it (redacted, cut at EXECUTION_MAX_STORED_BYTES), so the answer
   * stays small whatever the steps reference.
   */
  async dryRun(user: AuthUser, workflowId: string, payload: unknown, sideEffects = true): Promise<DryRunResultDto> {
    const w = await this.workflows.find(user.tenantId, workflowId);
    const max = this.config.executions.maxStoredBytes;
    const outcome = await this.engine.run({
      tenantId: user.tenantId,
      steps: w.steps,
      trigger: payload ?? null,
      stepTimeoutMs: w.settings.stepTimeoutMs,
      execution: { id: null, workflowId: w.id, workflowVersion: w.version, attempt: 1, trigger: 'manual', dryRun: true },
      sideEffects,
    });
    return {
      status: outcome.status,
      durationMs: outcome.durationMs,
      workflowVersion: w.version,
      steps: outcome.steps.map((s) => ({
        ...s,
        ...(s.input !== undefined ? { input: toStored(s.input, max).value } : {}),
        ...(s.output !== undefined ? { output: toStored(s.output, max).value } : {}),
        ...(s.request ? { request: toStored(s.request, max).value as DryRunStepResultDto['request'] } : {}),
        ...(s.error ? { error: { ...s.error, message: scrubMessage(s.error.message) } } : {}),
      })),
      planned: outcome.steps.filter((s) => s.status === 'planned').length,
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
      lastStatus: r.last_status as ExecutionStatus | null,
      p50DurationMs: round(r.p50),
      p95DurationMs: round(r.p95),
    };
  }
}
