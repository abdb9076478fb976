import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { Enqueued, ExecutionProducer } from '../executions/execution.producer';
import { isUuid } from '../executions/execution-id';
import { WorkflowCache } from '../workflows/workflow-cache';
import { IngestRateLimiter } from './ingest-rate-limiter';
import { verifySignature } from './webhook-signature';

export interface IncomingWebhook {
  workflowId: string;
  /** The parsed body: JSON value, form fields, or text. */
  payload: unknown;
  rawBody: Buffer;
  signatureHeader?: string | string[];
  idempotencyKey?: string;
}

/**
 * The ingest path, kept short: cached workflow lookup → signature → tenant rate limit →
 * enqueue. No database write and no connector code: the worker does the rest.
 */
@Injectable()
export class WebhookIngestService {
  constructor(
    private readonly workflows: WorkflowCache,
    private readonly producer: ExecutionProducer,
    private readonly limiter: IngestRateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ingest(req: IncomingWebhook): Promise<Enqueued> {
    // Unknown, malformed, inactive, not a webhook workflow: one answer, revealing nothing.
    const workflow = isUuid(req.workflowId) ? await this.workflows.get(req.workflowId.toLowerCase()) : null;
    if (!workflow || !workflow.active || workflow.trigger.type !== 'webhook') throw AppException.notFound('Workflow');

    if (workflow.webhookSecret) {
      const check = verifySignature(req.signatureHeader, workflow.webhookSecret, req.rawBody);
      if (!check.ok) throw AppException.unauthorized(`Webhook signature rejected: ${check.reason}`, 'BAD_SIGNATURE');
    }

    const { limit, windowSeconds } = this.config.webhooks.rateLimit;
    const rate = await this.limiter.hit(workflow.tenantId, limit, windowSeconds);
    if (!rate.allowed) throw AppException.tooManyRequests(`Webhook limit of ${limit} events per ${windowSeconds} s reached for this account`, rate.retryAfterSeconds);

    return this.producer.enqueue({
      tenantId: workflow.tenantId,
      workflowId: workflow.id,
      trigger: 'webhook',
      payload: req.payload,
      settings: workflow.settings,
      idempotencyKey: req.idempotencyKey,
    });
  }
}
