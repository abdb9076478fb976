import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { errorResponses } from '../../core/errors/api-errors.decorator';

/**
 * The OpenAPI description of `POST /api/webhooks/{workflowId}`, which is a plain Fastify route
 * (webhook.route.ts) and so invisible to Nest's document scanner. Merged by buildOpenApiDocument.
 */
const BODY = { description: 'Any JSON value, form fields or text', example: { user: { name: 'Alex' }, order: { id: '12345' } } };

export const WEBHOOK_OPENAPI_PATH = '/api/webhooks/{workflowId}';

export const WEBHOOK_TRIGGER_OPERATION: OperationObject = {
  operationId: 'Webhooks_trigger',
  summary: 'Trigger a workflow',
  description:
    'Answers 202 with the execution id once the run is stored in the queue (never before). JSON, form-encoded and plain-text bodies are passed to the run as `{{trigger...}}`. When the workflow has a secret, `X-Flowgate-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` is required (5-minute window). A workflow behind a Kong pattern that fronts this webhook (`webhook_handler`, `federated_security`, `usage_tracking`) accepts calls through its Kong route only: a direct call answers 401 `GATEWAY_SECRET_REQUIRED` (or `GATEWAY_SECRET_INVALID`) and runs nothing.',
  tags: ['webhooks'],
  parameters: [
    { name: 'workflowId', required: true, in: 'path', schema: { type: 'string' } },
    { name: 'Idempotency-Key', in: 'header', description: 'A repeat within 24 h returns the first execution id and runs nothing', required: false, schema: { type: 'string' } },
    { name: 'X-Flowgate-Signature', in: 'header', description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">', required: false, schema: { type: 'string' } },
    {
      name: 'X-Flowgate-Gateway-Secret',
      in: 'header',
      description: "Added by Kong's request-transformer on the route of a Kong pattern in front of this workflow; callers never send it themselves",
      required: false,
      schema: { type: 'string' },
    },
  ],
  requestBody: {
    required: false,
    content: { 'application/json': { schema: BODY }, 'application/x-www-form-urlencoded': { schema: BODY }, 'text/plain': { schema: BODY } },
  },
  responses: {
    202: {
      description: 'Stored in the queue; the run follows',
      headers: { 'Idempotent-Replayed': { description: '`true` when an earlier delivery with the same Idempotency-Key is answered', schema: { type: 'string' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/AcceptedDto' } } },
    },
    ...errorResponses(400, 401, 404, 413, 415, 429, 503),
  },
};
