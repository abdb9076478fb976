import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { QueueService } from '../../../core/queue/queue.module';
import { REDIS } from '../../../core/redis/redis.module';
import { executionJobOptions, TriggerReconcileReport, TriggerWorkflow, WorkflowsRepository } from '../../workflows';
import { repeatOptionsFor, sameRepeat } from './repeat-options';
import type { ScheduleTrigger } from './schedule-trigger.types';

/** The trigger type's name, also the `trigger` of the runs its ticks start. */
export const SCHEDULE = 'schedule';

const LOCK_KEY = 'lock:schedule-reconcile';
const LOCK_TTL_MS = 5 * 60_000;

type StoredRepeat = { every?: number | string | null; pattern?: string | null; tz?: string | null };

/**
 * Keeps the BullMQ job schedulers of the executions queue (one per scheduled workflow, keyed
 * by workflow id) in step with the database: an active scheduled workflow has exactly one
 * scheduler, anything else has none. Ticks are made by BullMQ, so each fires once however many
 * replicas run. A tick's job carries `trigger: 'schedule'`.
 */
@Injectable()
export class WorkflowSchedulesService {
  private readonly logger = new Logger(WorkflowSchedulesService.name);

  constructor(
    private readonly queues: QueueService,
    private readonly repo: WorkflowsRepository,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Creates or updates the workflow's scheduler (the workflow is active with a schedule trigger). */
  async upsert(w: TriggerWorkflow<ScheduleTrigger>): Promise<void> {
    await this.queues.upsertScheduler('executions', w.id, repeatOptionsFor(w.trigger, w.id), {
      name: 'scheduled',
      data: { tenantId: w.tenantId, workflowId: w.id, trigger: SCHEDULE },
      opts: executionJobOptions(w.settings),
    });
  }

  async remove(workflowId: string): Promise<void> {
    await this.queues.removeScheduler('executions', workflowId);
  }

  /**
   * Makes Redis match the database: every active scheduled workflow gets its scheduler
   * (restored after a Redis loss, or a crash between the database commit and the scheduler
   * write), and schedulers without such a workflow are removed. Runs under a Redis lock so
   * replicas starting together do it once.
   */
  async reconcile(): Promise<TriggerReconcileReport> {
    const token = randomUUID();
    const locked = await this.redis.set(LOCK_KEY, token, 'PX', LOCK_TTL_MS, 'NX');
    if (locked !== 'OK') return { skipped: 'locked', expected: 0, upserted: 0, removed: 0 };
    try {
      const queue = this.queues.queue('executions');
      const wanted = await this.repo.listActiveByTriggerType(SCHEDULE);
      const existing = new Map<string, StoredRepeat>();
      const pageSize = 1000;
      for (let start = 0; ; start += pageSize) {
        const page = await queue.getJobSchedulers(start, start + pageSize - 1, true);
        for (const s of page) existing.set(s.key, s as StoredRepeat);
        if (page.length < pageSize) break;
      }
      let upserted = 0;
      let removed = 0;
      const wantedIds = new Set<string>();
      for (const w of wanted) {
        wantedIds.add(w.id);
        const trigger = w.trigger as ScheduleTrigger;
        if (sameRepeat(existing.get(w.id), repeatOptionsFor(trigger, w.id))) continue;
        // One workflow that cannot be synced (deleted meanwhile, a bad row) must not stop
        // the others from being restored.
        try {
          await this.upsert({ ...w, active: true, trigger });
          upserted++;
        } catch (e) {
          this.logger.warn({ workflowId: w.id, err: e }, 'Could not restore the schedule of a workflow');
        }
      }
      const candidates = [...existing.keys()].filter((key) => !wantedIds.has(key));
      if (candidates.length) {
        // A workflow saved while this ran wrote its scheduler before its row committed (the write
        // is inside the save's transaction): read the database again before calling one an orphan.
        const now = new Set((await this.repo.listActiveByTriggerType(SCHEDULE)).map((w) => w.id));
        for (const key of candidates) {
          if (now.has(key)) continue;
          await this.queues.removeScheduler('executions', key);
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
