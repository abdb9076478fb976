import { Inject, Injectable } from '@nestjs/common';
import type { Job, JobType } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { QueueService } from '../../core/queue/queue.module';
import { RunExecutionJob } from '../../core/queue/queue.registry';
import { toStored } from '../engine/stored-value';
import { WorkflowCache } from '../workflows/workflow-cache';
import { ExecutionDetailDto, ExecutionSummaryDto, QueueScanDto } from './dto/execution.dto';
import { isUuid } from './execution-id';
import { ExecutionCursor, ExecutionFilters, ExecutionsRepository } from './executions.repository';

/** Where a run's job sits before its worker records it; `active` covers the moment between taking the job and writing the row. */
const PENDING_STATES = ['active', 'waiting', 'prioritized', 'delayed'] as const satisfies readonly JobType[];
const LIVE_STATES = new Set<string>([...PENDING_STATES, 'waiting-children']);

/**
 * Jobs a log page looks at per state (newest first), so a page costs a bounded number of Redis
 * reads whatever the backlog; QueueScanDto says when the backlog was larger.
 */
export const PENDING_SCAN_PER_STATE = 100;

const DELETED_WORKFLOW = '(deleted workflow)';

const isRunJob = (job: Job | undefined | null): job is Job<RunExecutionJob> => !!job && job.name === 'run' && typeof job.data?.tenantId === 'string';

/**
 * Runs accepted with a 202 (webhook, manual, retry) that no worker has recorded yet: their
 * BullMQ job is the only trace, and its id is the execution id. Such a run reads as `queued`
 * (no steps, workflowVersion null) until the worker writes its row, even while the worker is
 * taking the job: nothing has run before that row exists. Once the row exists it alone is
 * the truth. Schedule ticks are not listed here (their execution id is derived from the tick);
 * they appear once a worker starts them.
 */
@Injectable()
export class PendingRuns {
  constructor(
    private readonly queues: QueueService,
    private readonly executions: ExecutionsRepository,
    private readonly workflows: WorkflowCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The queued view of one accepted run of this tenant, or null (unknown, another tenant's, already finished). */
  async find(tenantId: string, id: string): Promise<ExecutionDetailDto | null> {
    const job = await this.queues.queue('executions').getJob(id);
    if (!isRunJob(job) || job.data.tenantId !== tenantId) return null;
    if (!LIVE_STATES.has(await job.getState())) return null;
    const stored = toStored(job.data.payload, this.config.executions.maxStoredBytes);
    const [view] = await this.views(tenantId, [job]);
    return { ...view, input: stored.value, inputTruncated: stored.truncated, steps: [] };
  }

  /**
   * This tenant's accepted runs without a row yet that match the log filters and come after the
   * cursor, newest first, from a bounded scan of the queue (all tenants share it).
   */
  async list(tenantId: string, f: ExecutionFilters, after?: ExecutionCursor): Promise<{ runs: ExecutionSummaryDto[]; scan: QueueScanDto }> {
    const queue = this.queues.queue('executions');
    const counts = await queue.getJobCounts(...PENDING_STATES);
    const jobs = (await queue.getJobs([...PENDING_STATES], 0, PENDING_SCAN_PER_STATE - 1, false)).filter(isRunJob).filter((j) => isUuid(j.id!));
    const scan: QueueScanDto = {
      scanned: jobs.length,
      pending: PENDING_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0),
      complete: PENDING_STATES.every((s) => (counts[s] ?? 0) <= PENDING_SCAN_PER_STATE),
    };
    const afterMs = after ? Date.parse(after.receivedAt) : undefined;
    const mine = jobs.filter((j) => {
      const d = j.data;
      const at = Date.parse(d.receivedAt);
      if (d.tenantId !== tenantId) return false;
      if (f.workflowId && d.workflowId !== f.workflowId) return false;
      if (f.triggers?.length && !f.triggers.includes(d.trigger)) return false;
      if ((f.from && at < f.from.getTime()) || (f.to && at >= f.to.getTime())) return false;
      return afterMs === undefined || at < afterMs || (at === afterMs && j.id! < after!.id);
    });
    // A job whose worker already wrote the row is in the log with its own status.
    const recorded = new Set(await this.executions.existingIds(tenantId, mine.map((j) => j.id!)));
    const runs = await this.views(tenantId, mine.filter((j) => !recorded.has(j.id!)));
    return { runs, scan };
  }

  private async views(tenantId: string, jobs: Array<Job<RunExecutionJob>>): Promise<ExecutionSummaryDto[]> {
    const names = new Map<string, string>();
    for (const workflowId of new Set(jobs.map((j) => j.data.workflowId))) {
      const w = await this.workflows.get(workflowId).catch(() => null);
      names.set(workflowId, w && w.tenantId === tenantId ? w.name : DELETED_WORKFLOW);
    }
    return jobs.map((job) => ({
      id: job.id!,
      workflowId: job.data.workflowId,
      workflowName: names.get(job.data.workflowId) ?? DELETED_WORKFLOW,
      workflowVersion: null,
      trigger: job.data.trigger,
      status: 'queued',
      attempts: 0,
      retryOf: job.data.retryOf ?? null,
      error: null,
      scheduledFor: null,
      receivedAt: new Date(job.data.receivedAt ?? job.timestamp).toISOString(),
      startedAt: null,
      finishedAt: null,
      durationMs: null,
    }));
  }
}
