import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkIdempotencyKey } from '../executions';
import { GATEWAY_SECRET_HEADER } from '../kong';
import { WebhookIngestService } from './webhook-ingest.service';
import { SIGNATURE_HEADER } from './webhook-signature';

export const WEBHOOK_ROUTE = '/api/webhooks/:workflowId';

type WebhookRequest = FastifyRequest<{ Params: { workflowId: string } }> & { rawBody?: Buffer };

/**
 * `POST /api/webhooks/:workflowId` as a plain Fastify route instead of a Nest controller.
 *
 * Why: this is the one route whose throughput is a product target (see bench/RESULTS.md), and
 * Nest's per-request pipeline (router proxy, guard and interceptor chains, param pipes) cost
 * more than the work itself. The route is public and takes no DTO, so none of that pipeline
 * had anything to do here. What it keeps from the app: Fastify's body parsers (rawBody for
 * signatures, the body limit → 413), the depth guard and metrics hooks, and Nest's error
 * handler, so every error still has the shared shape. The browser security headers (CSP, frame
 * options...) are skipped: the callers are servers, the answer is a two-field JSON object.
 * The OpenAPI description lives in webhook.openapi.ts.
 */
@Injectable()
export class WebhookRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly ingest: WebhookIngestService,
  ) {}

  onModuleInit(): void {
    // ROLE=worker builds an application context without HTTP.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.route({
      method: 'POST',
      url: WEBHOOK_ROUTE,
      // No browser security headers (the callers are servers) and no access line (each accepted
      // event is recorded as an execution; errors are still logged by the filter).
      config: { securityHeaders: false, accessLog: false },
      schema: { response: { 202: { type: 'object', properties: { executionId: { type: 'string' } }, required: ['executionId'] } } },
      handler: (req, reply) => this.handle(req as WebhookRequest, reply),
    });
  }

  private async handle(req: WebhookRequest, reply: FastifyReply): Promise<{ executionId: string }> {
    const body = req.body;
    const rawBody =
      req.rawBody ?? Buffer.from(typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body), 'utf8');
    const result = await this.ingest.ingest({
      workflowId: req.params.workflowId,
      payload: body ?? null,
      rawBody,
      signatureHeader: req.headers[SIGNATURE_HEADER],
      gatewaySecretHeader: req.headers[GATEWAY_SECRET_HEADER],
      idempotencyKey: checkIdempotencyKey(req.headers['idempotency-key']),
    });
    if (result.duplicate) reply.header('Idempotent-Replayed', 'true');
    reply.code(202);
    return { executionId: result.executionId };
  }
}
