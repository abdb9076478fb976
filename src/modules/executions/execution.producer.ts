import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { FailFastProducer } from '../../core/queue/fail-fast-producer';
import { QueueService } from '../../core/queue/queue.module';
import { RunExecutionJob, TriggerKind } from '../../core/queue/queue.registry';
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
  private readonly queue: FailFastProducer<'executions'>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, queues: QueueService, connection: IngestConnection) {
    this.queue = queues.producer(
      'executions',
      connection.redis,
      queues.deadline('The job queue is unavailable; the event was not accepted. Retry shortly.', config.webhooks.enqueueTimeoutMs),
    );
  }

  async enqueue(req: EnqueueRun): Promise<Enqueued> {
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
    const job = await this.queue.add('run', data, opts);
    return { executionId: job.id!, duplicate: job.id !== jobId };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

export function idempotencyId(tenantId: string, workflowId: string, key: string): string {
  return createHash('sha256').update(`${tenantId}\n${workflowId}\n${key}`).digest('hex');
}
