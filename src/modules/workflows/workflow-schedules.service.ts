import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RepeatOptions } from 'bullmq';
import type Redis from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { QueueService } from '../../core/queue/queue.module';
import { REDIS } from '../../core/redis/redis.module';
import { executionJobOptions } from './workflow-job-options';
import { isScheduled, WorkflowSettings, WorkflowTrigger } from './workflow.types';
import { WorkflowsRepository } from './workflows.repository';

export interface SchedulableWorkflow {
  id: string;
  tenantId: string;
  active: boolean;
  trigger: WorkflowTrigger;
  settings: WorkflowSettings;
}

export interface ReconcileReport {
  skipped?: 'locked';
  expected: number;
  upserted: number;
  removed: number;
}

const LOCK_KEY = 'lock:schedule-reconcile';
const LOCK_TTL_MS = 5 * 60_000;

/**
 * Interval schedules are spread over their interval by workflow id (a stable offset), so that
 * thousands of "every 60 s" workflows do not all fire in the same millisecond. Cron schedules
 * fire exactly when asked.
 */
export function repeatOptionsFor(trigger: WorkflowTrigger, workflowId: string): Omit<RepeatOptions, 'key'> | null {
  if (!isScheduled(trigger)) return null;
  if ('intervalSeconds' in trigger) {
    const every = trigger.intervalSeconds * 1000;
    const hash = createHash('sha1').update(workflowId).digest().readUInt32BE(0);
    // offset 0 means "none" to BullMQ, so keep it within 1..every-1
    const offset = 1 + (hash % (every - 1));
    return { every, offset };
  }
  return { pattern: trigger.cron, tz: trigger.timezone };
}

/**
 * Keeps the BullMQ job schedulers of the executions queue (one per scheduled workflow, keyed
 * by workflow id) in step with the database: an active scheduled workflow has exactly one
 * scheduler, anything else has none. Ticks are made by BullMQ, so each fires once however many
 * replicas run.
 */
@Injectable()
export class WorkflowSchedulesService {
  private readonly logger = new Logger(WorkflowSchedulesService.name);

  constructor(
    private readonly queues: QueueService,
    private readonly repo: WorkflowsRepository,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Upserts or removes the workflow's scheduler to match its current state. */
  async sync(w: SchedulableWorkflow): Promise<void> {
    const repeat = w.active ? repeatOptionsFor(w.trigger, w.id) : null;
    const queue = this.queues.queue('executions');
    if (!repeat) {
      await queue.removeJobScheduler(w.id);
      return;
    }
    await queue.upsertJobScheduler(w.id, repeat, {
      name: 'scheduled',
      data: { tenantId: w.tenantId, workflowId: w.id },
      opts: executionJobOptions(w.settings),
    });
  }

  async remove(workflowId: string): Promise<void> {
    await this.queues.queue('executions').removeJobScheduler(workflowId);
  }

  /**
   * Makes Redis match the database: every active scheduled workflow gets its scheduler
   * (restored after a Redis loss, or a crash between the database commit and the scheduler
   * write), and schedulers without such a workflow are removed. Runs under a Redis lock so
   * replicas starting together do it once.
   */
  async reconcile(): Promise<ReconcileReport> {
    const token = randomUUID();
    const locked = await this.redis.set(LOCK_KEY, token, 'PX', LOCK_TTL_MS, 'NX');
    if (locked !== 'OK') return { skipped: 'locked', expected: 0, upserted: 0, removed: 0 };
    try {
      const queue = this.queues.queue('executions');
      const wanted = await this.repo.listActiveScheduled();
      const existing = new Map<string, { every?: number | string | null; pattern?: string | null; tz?: string | null }>();
      const pageSize = 1000;
      for (let start = 0; ; start += pageSize) {
        const page = await queue.getJobSchedulers(start, start + pageSize - 1, true);
        for (const s of page) existing.set(s.key, s as never);
        if (page.length < pageSize) break;
      }
      let upserted = 0;
      let removed = 0;
      const wantedIds = new Set<string>();
      for (const w of wanted) {
        wantedIds.add(w.id);
        const repeat = repeatOptionsFor(w.trigger, w.id)!;
        const have = existing.get(w.id);
        const same =
          have &&
          (repeat.every !== undefined
            ? Number(have.every) === repeat.every
            : have.pattern === repeat.pattern && (have.tz ?? undefined) === (repeat.tz ?? undefined));
        if (!same) {
          // One workflow that cannot be synced (deleted meanwhile, a bad row) must not stop
          // the others from being restored.
          try {
            await this.sync({ ...w, active: true });
            upserted++;
          } catch (e) {
            this.logger.warn({ workflowId: w.id, err: e }, 'Could not restore the schedule of a workflow');
          }
        }
      }
      for (const key of existing.keys()) {
        if (!wantedIds.has(key)) {
          await queue.removeJobScheduler(key);
          removed++;
        }
      }
      if (upserted || removed) this.logger.log(`Schedules reconciled: ${upserted} restored or updated, ${removed} orphans removed`);
      return { expected: wanted.length, upserted, removed };
    } finally {
      await this.redis.eval(
        `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`,
        1,
        LOCK_KEY,
        token,
      );
    }
  }
}
