import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions';
import { WorkflowsModule } from '../workflows';
import { IngestRateLimiter } from './ingest-rate-limiter';
import { WebhookIngestService } from './webhook-ingest.service';
import { WebhookRoute } from './webhook.route';
import { webhookOpenApi } from './webhook.openapi';

@Module({
  imports: [WorkflowsModule, ExecutionsModule],
  // POST /api/webhooks/:workflowId is a plain Fastify route: see webhook.route.ts for why.
  providers: [WebhookIngestService, IngestRateLimiter, WebhookRoute, webhookOpenApi],
})
export class WebhooksModule {}
