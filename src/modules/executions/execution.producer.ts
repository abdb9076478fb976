import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createHash, randomUUID } from 'node:crypto';
import { withDeadline } from '../../core/async/deadline';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { QUEUES, RunExecutionJob, TriggerKind } from '../../core/queue/queue.registry';
import { executionJobOptions } from '../workflows';
import { WorkflowSettings } from '../workflows';
import { IngestConnection } from './ingest-connection';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export interface EnqueueRun {
  tenantId: string;
  workflowId: string;
  trigger: TriggerKind;
  payload: unknown;
  settings: WorkflowSettings;
  retryOf?: string;
  /** The user who asked for a manual run or a retry (none for webhooks and schedules). */
  userId?: string;
  /** A repeat with the same key (per tenant and workflow) within 24 h returns the first execution id. */
  idempotencyKey?: string;
}

export interface Enqueued {
  executionId: string;
  /** True when an earlier delivery with the same Idempotency-Key already created this execution. */
  duplicate: boolean;
}

/**
 * Puts workflow runs on the executions queue, through the fail-fast ingest connection and with a
 * deadline on every add, so a request never waits on a Redis that is away: it answers 503, and
 * a 202 always means the job is stored.
 *
 * Idempotency uses BullMQ deduplication (a Redis SET NX with a 24 h TTL inside the same script
 * that stores the job), so "seen this key" and "job stored" cannot disagree.
 */
@Injectable()
export class ExecutionProducer implements OnApplicationShutdown {
  private readonly logger = new Logger(ExecutionProducer.name);
  private readonly queue: Queue;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connection: IngestConnection,
  ) {
    this.queue = new Queue(QUEUES.executions, { connection: connection.redis, prefix: config.queue.prefix });
    this.queue.on('error', () => undefined);
  }

  async enqueue(req: EnqueueRun): Promise<Enqueued> {
    if (!this.connection.ready) throw this.unavailable(`Redis connection is ${this.connection.redis.status}`);
    const jobId = randomUUID();
    // Key order matters: the small fields first, the payload last, so the queued-runs scan
    // (pending-runs.ts) reads them from the first bytes of the stored job without the payload.
    const data: RunExecutionJob = {
      tenantId: req.tenantId,
      workflowId: req.workflowId,
      trigger: req.trigger,
      receivedAt: new Date().toISOString(),
      ...(req.retryOf ? { retryOf: req.retryOf } : {}),
      ...(req.userId ? { userId: req.userId } : {}),
      payload: req.payload ?? null,
    };
    const opts = {
      jobId,
      ...executionJobOptions(req.settings),
      ...(req.idempotencyKey
        ? { deduplication: { id: idempotencyId(req.tenantId, req.workflowId, req.idempotencyKey), ttl: IDEMPOTENCY_TTL_MS } }
        : {}),
    };
    try {
      const job = await withDeadline(
        this.queue.add('run', data, opts),
        this.config.webhooks.enqueueTimeoutMs,
        `queue add took longer than ${this.config.webhooks.enqueueTimeoutMs} ms`,
      );
      return { executionId: job.id!, duplicate: job.id !== jobId };
    } catch (e) {
      throw this.unavailable((e as Error).message);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }

  private unavailable(reason: string): AppException {
    this.logger.warn(`Enqueue refused: ${reason}`);
    return AppException.unavailable('QUEUE_UNAVAILABLE', 'The job queue is unavailable; the event was not accepted. Retry shortly.', 5);
  }
}

export function idempotencyId(tenantId: string, workflowId: string, key: string): string {
  return createHash('sha256').update(`${tenantId}\n${workflowId}\n${key}`).digest('hex');
}
