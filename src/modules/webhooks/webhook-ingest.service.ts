import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { Enqueued, ExecutionProducer } from '../executions';
import { isUuid } from '../executions';
import { assertGatewaySecret } from '../kong';
import { isWebhookTrigger, WEBHOOK_TRIGGER_TYPE } from '../triggers';
import { WorkflowCache } from '../workflows';
import { IngestRateLimiter } from './ingest-rate-limiter';
import { verifySignature } from './webhook-signature';

export interface IncomingWebhook {
  workflowId: string;
  /** The parsed body: JSON value, form fields, or text. */
  payload: unknown;
  rawBody: Buffer;
  signatureHeader?: string | string[];
  /** X-Flowgate-Gateway-Secret: added by Kong's route when the workflow is behind a Kong pattern. */
  gatewaySecretHeader?: string | string[];
  idempotencyKey?: string;
}

/**
 * The ingest path, kept short: cached workflow lookup → came through Kong (when the workflow
 * is behind a Kong pattern) → signature → tenant rate limit → enqueue. No database query on a
 * cache hit, no database write and no connector code: the worker does the rest.
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
    // A malformed id is refused like every other UUID path parameter (it can reveal nothing).
    if (!isUuid(req.workflowId)) throw AppException.validation([{ field: 'workflowId', message: 'workflowId must be a UUID' }]);
    // Unknown, inactive, not a webhook workflow: one answer, revealing nothing.
    const workflow = await this.workflows.get(req.workflowId.toLowerCase());
    if (!workflow || !workflow.active || !isWebhookTrigger(workflow.trigger)) throw AppException.notFound('Workflow');

    // Behind webhook_handler / federated_security / usage_tracking: only Kong's route may call,
    // or a direct call would skip its rate limit, key-auth/ACL or metering. Checked from the
    // cached copy (it carries the deployments' gateway secrets), before anything else runs.
    if (workflow.gatewaySecrets)
      assertGatewaySecret(req.gatewaySecretHeader, workflow.gatewaySecrets, 'This workflow is behind Kong: call it through its Kong route');

    if (workflow.webhookSecret) {
      const check = verifySignature(req.signatureHeader, workflow.webhookSecret, req.rawBody);
      if (!check.ok) throw AppException.unauthorized(`Webhook signature rejected: ${check.reason}`, 'BAD_SIGNATURE');
    }

    const { limit, windowSeconds } = this.config.webhooks.rateLimit;
    const rate = await this.limiter.hit(workflow.tenantId, limit, windowSeconds);
    if (!rate.allowed)
      throw AppException.tooManyRequests(
        `Webhook limit of ${limit} events per ${windowSeconds} s reached for this account`,
        rate.retryAfterSeconds,
      );

    return this.producer.enqueue({
      tenantId: workflow.tenantId,
      workflowId: workflow.id,
      trigger: WEBHOOK_TRIGGER_TYPE,
      payload: req.payload,
      settings: workflow.settings,
      idempotencyKey: req.idempotencyKey,
    });
  }
}
