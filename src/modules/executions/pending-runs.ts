import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { withDeadline } from '../../core/async/deadline';
import { AppException } from '../../core/errors/app-exception';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { QueueService } from '../../core/queue/queue.module';
import { RunExecutionJob, TriggerKind } from '../../core/queue/queue.registry';
import { parseRunHead, PENDING_SCAN_SCRIPT, RUN_HEAD_BYTES, ScannedRun } from './pending-runs.scan';
import { toStored } from '../engine';
import { WorkflowCache } from '../workflows';
import { ExecutionDetailDto, ExecutionSummaryDto, QueueScanDto } from './dto/execution.dto';
import { isUuid } from './execution-id';
import { ExecutionCursor, ExecutionFilters, ExecutionsRepository } from './executions.repository';

/**
 * Where a run's job sits before its worker records it. `active`: a worker has it, and a first
 * attempt writes no row until it has run EXECUTION_RUNNING_ROW_AFTER_MS (or ends): it reads as `running`.
 */
const LIVE_STATES = new Set<string>(['active', 'waiting', 'prioritized', 'delayed', 'paused', 'waiting-children']);

/**
 * Jobs a log page looks at per pending state (newest first), so a page costs a bounded amount
 * of Redis work whatever the backlog; `queueScan.complete` says when the backlog was larger.
 */
export const PENDING_SCAN_PER_STATE = 100;

/** A queue read that takes longer answers without it (the log) or 503 (one execution): never a hung request while Redis is away. */
const QUEUE_READ_DEADLINE_MS = 2_000;

const DELETED_WORKFLOW = '(deleted workflow)';

const SCAN_COMMAND = 'flowgatePendingRuns';
/** Clients the scan script is defined on (ioredis sends it by SHA after the first call). */
const scriptDefined = new WeakSet<object>();

const isRunJob = (job: Job | undefined | null): job is Job<RunExecutionJob> =>
  !!job && job.name === 'run' && typeof job.data?.tenantId === 'string';

/** This tenant's run jobs in the executions queue by state (GET /api/dashboard). */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  complete: boolean;
}

/** A run's job without a row; `activeSince`: when a worker took it (null: not taken). */
type PendingRun = ScannedRun & { activeSince: string | null };

/**
 * Runs accepted with a 202 (webhook, manual, retry) that no worker has recorded yet: their
 * BullMQ job is the only trace, and its id is the execution id. Such a run reads as `queued`
 * (no steps, workflowVersion null) until a worker takes it, then as `running` (a first attempt
 * writes its row only once it has run EXECUTION_RUNNING_ROW_AFTER_MS, or when it ends). Once
 * the row exists it alone is the truth. Schedule ticks are not listed here (their execution id
 * is derived from the tick); they appear once their row is written.
 */
@Injectable()
export class PendingRuns {
  constructor(
    private readonly queues: QueueService,
    private readonly executions: ExecutionsRepository,
    private readonly workflows: WorkflowCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The queued (or running) view of one accepted run of this tenant, or null (unknown, another tenant's, already finished). */
  async find(tenantId: string, id: string): Promise<ExecutionDetailDto | null> {
    const queue = this.queues.queue('executions');
    const read = async () => {
      const job = await queue.getJob(id);
      if (!isRunJob(job) || job.data.tenantId !== tenantId) return null;
      const state = await job.getState();
      return LIVE_STATES.has(state) ? { job, active: state === 'active' } : null;
    };
    const found = await withDeadline(read(), QUEUE_READ_DEADLINE_MS).catch(() => {
      throw AppException.unavailable(
        'QUEUE_UNAVAILABLE',
        'The job queue is unavailable, so a run not yet recorded cannot be looked up. Retry shortly.',
        5,
      );
    });
    if (!found) return null;
    const { job } = found;
    const stored = toStored(job.data.payload, this.config.executions.maxStoredBytes);
    const activeSince = found.active ? new Date(job.processedOn || job.timestamp).toISOString() : null;
    const [view] = await this.views(tenantId, [{ ...fromJob(job)!, activeSince }]);
    return { ...view, input: stored.value, inputTruncated: stored.truncated, steps: [] };
  }

  /**
   * This tenant's accepted runs without a row yet that match the log filters and come after the
   * cursor, newest first, from a bounded scan of the queue (all tenants share it; the scan runs
   * inside Redis and returns only this tenant's jobs, without their payloads). While Redis is
   * away the page is answered without them, `complete: false`.
   */
  async list(tenantId: string, f: ExecutionFilters, after?: ExecutionCursor): Promise<{ runs: ExecutionSummaryDto[]; scan: QueueScanDto }> {
    const scanned = await withDeadline(this.scan(tenantId), QUEUE_READ_DEADLINE_MS).catch(() => null);
    if (!scanned) return { runs: [], scan: { complete: false } };
    const afterMs = after ? Date.parse(after.receivedAt) : undefined;
    const mine = scanned.runs.filter((r) => {
      const at = Date.parse(r.receivedAt);
      if (f.statuses?.length && !f.statuses.includes(r.activeSince ? 'running' : 'queued')) return false;
      if (f.workflowId && r.workflowId !== f.workflowId) return false;
      if (f.triggers?.length && !f.triggers.includes(r.trigger as TriggerKind)) return false;
      if ((f.from && at < f.from.getTime()) || (f.to && at >= f.to.getTime())) return false;
      return afterMs === undefined || at < afterMs || (at === afterMs && r.id < after!.id);
    });
    // A job whose worker already wrote the row is in the log with its own status.
    const recorded = new Set(
      await this.executions.existingIds(
        tenantId,
        mine.map((r) => r.id),
      ),
    );
    const runs = await this.views(
      tenantId,
      mine.filter((r) => !recorded.has(r.id)),
    );
    return { runs, scan: { complete: scanned.complete } };
  }

  /**
   * How many of this tenant's run jobs sit in the executions queue now, by state (the same
   * bounded scan as the log: other tenants' jobs are never counted, and `complete: false` says
   * a state held more jobs than were looked at, or Redis did not answer in time).
   */
  async depth(tenantId: string): Promise<QueueDepth> {
    const found = await withDeadline(this.runScript(tenantId), QUEUE_READ_DEADLINE_MS).catch(() => null);
    if (!found) return { waiting: 0, active: 0, delayed: 0, complete: false };
    const depth: QueueDepth = { waiting: 0, active: 0, delayed: 0, complete: found.complete };
    const seen = new Set<string>();
    for (const [id, , , , state] of found.jobs) {
      // A job moved between states while the script read them is counted once.
      if (seen.has(id)) continue;
      seen.add(id);
      if (state === 3) depth.active++;
      else if (state === 5) depth.delayed++;
      else depth.waiting++; // wait, paused, prioritized
    }
    return depth;
  }

  private async scan(tenantId: string): Promise<{ runs: PendingRun[]; complete: boolean }> {
    const queue = this.queues.queue('executions');
    const { complete, jobs: found } = await this.runScript(tenantId);
    const runs: PendingRun[] = [];
    for (const [id, head, timestamp, processedOn] of found) {
      if (!isUuid(id)) continue;
      // A job stored before the producer put the payload last: read it whole (only during an upgrade).
      const run = parseRunHead(id, head, timestamp) ?? fromJob(await queue.getJob(id));
      const activeSince = processedOn ? new Date(Number(processedOn) || Number(timestamp) || 0).toISOString() : null;
      if (run) runs.push({ ...run, activeSince });
    }
    return { runs: [...new Map(runs.map((r) => [r.id, r])).values()], complete };
  }

  /** The scan script (pending-runs.scan.ts) for this tenant's jobs: one Redis call. */
  private async runScript(tenantId: string): Promise<{ complete: boolean; jobs: Array<[string, string, string, string, number]> }> {
    const queue = this.queues.queue('executions');
    const client = await queue.getBackend().client;
    if (!scriptDefined.has(client)) {
      client.defineCommand(SCAN_COMMAND, { numberOfKeys: 6, lua: PENDING_SCAN_SCRIPT, readOnly: true });
      scriptDefined.add(client);
    }
    const k = queue.keys;
    const tenantPrefix = `{"tenantId":${JSON.stringify(tenantId)},`;
    const args = [
      k.wait,
      k.paused,
      k.active,
      k.prioritized,
      k.delayed,
      queue.toKey(''),
      tenantPrefix,
      PENDING_SCAN_PER_STATE,
      RUN_HEAD_BYTES,
    ];
    const [complete, found] = (await client.runCommand(SCAN_COMMAND, args)) as [number, Array<[string, string, string, string, number]>];
    return { complete: complete === 1, jobs: found };
  }

  private async views(tenantId: string, runs: PendingRun[]): Promise<ExecutionSummaryDto[]> {
    const names = new Map<string, string>();
    for (const workflowId of new Set(runs.map((r) => r.workflowId))) {
      const w = await this.workflows.get(workflowId).catch(() => null);
      names.set(workflowId, w && w.tenantId === tenantId ? w.name : DELETED_WORKFLOW);
    }
    return runs.map((run) => ({
      id: run.id,
      workflowId: run.workflowId,
      workflowName: names.get(run.workflowId) ?? DELETED_WORKFLOW,
      workflowVersion: null,
      trigger: run.trigger as TriggerKind,
      status: run.activeSince ? 'running' : 'queued',
      attempts: run.activeSince ? 1 : 0,
      retryOf: run.retryOf,
      error: null,
      scheduledFor: null,
      receivedAt: run.receivedAt,
      startedAt: run.activeSince,
      finishedAt: null,
      durationMs: null,
    }));
  }
}

function fromJob(job: Job | undefined | null): ScannedRun | null {
  if (!isRunJob(job) || !job.id) return null;
  const d = job.data;
  return {
    id: job.id,
    workflowId: d.workflowId,
    trigger: d.trigger,
    receivedAt: new Date(d.receivedAt ?? job.timestamp).toISOString(),
    retryOf: d.retryOf ?? null,
  };
}
