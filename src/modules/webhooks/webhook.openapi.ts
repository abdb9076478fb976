import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { documentContributor } from '../../core/openapi/document-contributors';
import { errorResponses } from '../../core/errors/api-errors.decorator';
import { JSON_VALUE_REF } from '../../core/openapi/json-schemas';
import { WEBHOOK_PAYLOAD_EXAMPLE } from '../workflows';

/**
 * The OpenAPI description of `POST /api/webhooks/{workflowId}`, which is a plain Fastify route
 * (webhook.route.ts) and so invisible to Nest's document scanner. Added to the document by
 * `webhookOpenApi`, a document contributor the webhooks module provides.
 */
export const WEBHOOK_OPENAPI_PATH = '/api/webhooks/{workflowId}';

const FORM_EXAMPLE = { 'user[name]': 'Alex', orderId: '12345' };

export const WEBHOOK_TRIGGER_OPERATION: OperationObject = {
  operationId: 'Webhooks_trigger',
  summary: 'Trigger a workflow',
  description: [
    "Answers 202 with the execution id once the run is stored in the queue (never before). The body is the run's trigger payload: JSON (any value), form fields or plain text, read by templates as `{{trigger...}}` or, for a JSON object, by its own keys (`{{user.name}}`). A repeat with the same `Idempotency-Key` within 24 h answers the first execution id and runs nothing.",
    '',
    'Security: which alternative applies depends on the workflow, not on the caller. `{}` (none): a workflow without a webhook secret that no Kong pattern fronts takes unsigned calls. `webhook-signature`: a workflow with a secret (POST /api/workflows/{id}/webhook-secret) needs `X-Flowgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` within a 5-minute window, else 401 `BAD_SIGNATURE`. `gateway-secret`: a workflow behind a Kong pattern that fronts this webhook (`webhook_handler`, `federated_security`, `usage_tracking`) accepts calls through its Kong route only, which adds `X-Flowgate-Gateway-Secret`; a direct call answers 401 `GATEWAY_SECRET_REQUIRED` (or `GATEWAY_SECRET_INVALID`) and runs nothing. A workflow with both needs both headers.',
    '',
    "404 for an unknown, inactive or schedule-triggered workflow (one answer, revealing nothing); 400 naming `workflowId` when it is not a UUID; 429 past the account's webhook rate limit; 503 when the queue cannot take the run.",
  ].join('\n'),
  tags: ['workflows'],
  security: [{}, { 'webhook-signature': [] }, { 'gateway-secret': [] }],
  parameters: [
    {
      name: 'workflowId',
      required: true,
      in: 'path',
      description: 'The workflow id (its `webhookPath` is /api/webhooks/{workflowId})',
      schema: { type: 'string', format: 'uuid' },
    },
    {
      name: 'Idempotency-Key',
      in: 'header',
      description:
        'A repeat within 24 h returns the first execution id and runs nothing. Up to 255 visible ASCII characters (no spaces); empty means none.',
      required: false,
      schema: { type: 'string', maxLength: 255, pattern: '^[!-~]*$' },
    },
  ],
  requestBody: {
    required: false,
    description: 'The trigger payload',
    content: {
      'application/json': {
        schema: { allOf: [{ $ref: JSON_VALUE_REF }], description: 'Any JSON value; an object is usual' },
        example: WEBHOOK_PAYLOAD_EXAMPLE,
      },
      'application/x-www-form-urlencoded': {
        schema: { type: 'object', additionalProperties: { type: 'string' }, description: 'Form fields, as strings' },
        example: FORM_EXAMPLE,
      },
      'text/plain': { schema: { type: 'string', description: 'Any text' }, example: 'order 12345 paid' },
    },
  },
  responses: {
    202: {
      description: 'Stored in the queue; the run follows (GET /api/executions/{executionId})',
      headers: {
        'Idempotent-Replayed': {
          description: '`true` when an earlier delivery with the same Idempotency-Key is answered',
          schema: { type: 'string', enum: ['true'] },
        },
      },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/AcceptedDto' } } },
    },
    ...errorResponses(400, 401, 404, 413, 415, 429, 503),
  },
};

/** Contributes the webhook ingest operation to the OpenAPI document. */
export const webhookOpenApi = documentContributor('webhook-ingest', (document) => {
  document.paths[WEBHOOK_OPENAPI_PATH] = { post: WEBHOOK_TRIGGER_OPERATION };
});
