import type { components } from '../../api/generated/schema';
import type { JsonSchema } from '../../components/SchemaForm';

export type UseCase = components['schemas']['ApplyKongTemplateDto']['use_case'];

/** The patterns POST /api/kong/templates knows (ApplyKongTemplateDto.use_case), with what each does. */
export const PATTERNS: Array<{ value: UseCase; label: string; description: string }> = [
  { value: 'protocol_bridge', label: 'Protocol bridge', description: 'REST in front of a workflow that calls a SOAP service.' },
  { value: 'webhook_handler', label: 'Webhook handler', description: 'The workflow’s webhook behind Kong, rate limited.' },
  { value: 'smart_aggregator', label: 'Smart aggregator', description: 'A cached GET running the workflow’s read-only steps in parallel.' },
  {
    value: 'federated_security',
    label: 'Federated security',
    description: 'key-auth or oauth2 in front of the workflow; the credential is shown once.',
  },
  { value: 'usage_tracking', label: 'Usage tracking', description: 'Kong logs every call into Flowgate’s usage metering.' },
];

/**
 * Each pattern's options, as the API's DTO declares them (ApplyKongTemplateDto.options in
 * openapi/openapi.json, one schema per use case). Copied here rather than loaded: the console
 * must not download the whole OpenAPI document to draw one form.
 */
export const PATTERN_OPTIONS: Record<UseCase, JsonSchema> = {
  protocol_bridge: {
    type: 'object',
    properties: {
      step: {
        type: 'string',
        minLength: 1,
        maxLength: 100,
      },
      read_timeout_ms: {
        default: 60000,
        type: 'integer',
        minimum: 1000,
        maximum: 300000,
      },
    },
  },
  webhook_handler: {
    type: 'object',
    properties: {
      second: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000000,
      },
      minute: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000000,
      },
      hour: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000000,
      },
      day: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000000,
      },
      month: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000000,
      },
      year: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000000,
      },
      policy: {
        type: 'string',
        enum: ['local', 'cluster', 'redis'],
      },
      limit_by: {
        default: 'ip',
        type: 'string',
        enum: ['ip', 'consumer', 'credential', 'service', 'header', 'path'],
      },
      header_name: {
        type: 'string',
        pattern: '^[A-Za-z0-9-]{1,100}$',
      },
      path: {
        type: 'string',
        maxLength: 1024,
        pattern: '^\\/(?!.*\\/\\/)([A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*$',
      },
      fault_tolerant: {
        default: true,
        type: 'boolean',
      },
      hide_client_headers: {
        default: false,
        type: 'boolean',
      },
    },
  },
  smart_aggregator: {
    type: 'object',
    properties: {
      cache_ttl: {
        default: 300,
        type: 'integer',
        minimum: 1,
        maximum: 86400,
      },
      steps: {
        minItems: 1,
        maxItems: 50,
        type: 'array',
        items: {
          type: 'string',
          minLength: 1,
          maxLength: 100,
        },
        uniqueItems: true,
      },
    },
  },
  federated_security: {
    type: 'object',
    properties: {
      auth: {
        default: 'key-auth',
        type: 'string',
        enum: ['key-auth', 'oauth2'],
      },
      key_names: {
        default: ['apikey'],
        minItems: 1,
        maxItems: 10,
        type: 'array',
        items: {
          type: 'string',
          pattern: '^[A-Za-z0-9_-]{1,64}$',
        },
      },
      hide_credentials: {
        default: true,
        type: 'boolean',
      },
      scopes: {
        minItems: 1,
        maxItems: 50,
        type: 'array',
        items: {
          type: 'string',
          pattern: '^[A-Za-z0-9:._-]{1,100}$',
        },
        uniqueItems: true,
      },
      mandatory_scope: {
        default: false,
        type: 'boolean',
      },
      token_expiration: {
        default: 7200,
        type: 'integer',
        minimum: 60,
        maximum: 31536000,
      },
      redirect_uris: {
        minItems: 1,
        maxItems: 10,
        type: 'array',
        items: {
          type: 'string',
          maxLength: 2048,
          pattern: '^https?:\\/\\/\\S+$',
        },
      },
    },
  },
  usage_tracking: {
    type: 'object',
    properties: {
      max_batch_size: {
        default: 100,
        type: 'integer',
        minimum: 1,
        maximum: 1000,
      },
      max_coalescing_delay: {
        default: 1,
        format: 'double',
        type: 'number',
        minimum: 0,
        maximum: 3600,
      },
    },
  },
};
