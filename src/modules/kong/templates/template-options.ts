import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { AppConfig } from '../../../core/config/app-config';
import { AppException, ErrorDetail } from '../../../core/errors/app-exception';
import { routePath } from './plan-builder';
import { RATE_LIMIT_PERIODS, UseCase, UseCaseOptions } from './use-cases';

const stepName = { type: 'string', minLength: 1, maxLength: 100 };
/** Kong's `path` type: starts with "/", RFC 3986 unreserved characters and percent-escapes, no empty segment. */
const KONG_PATH = '^/(?!.*//)([A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*$';
const limit = { type: 'integer', minimum: 1, maximum: 1_000_000_000 };

/**
 * One JSON Schema per use case; defaults are filled in, unknown options are refused. Exported
 * so a test can enumerate every allowed value and prove Kong accepts what each one renders.
 */
export const TEMPLATE_OPTION_SCHEMAS: Record<
  UseCase,
  { type: 'object'; additionalProperties: false; properties: Record<string, Record<string, unknown>> }
> = {
  protocol_bridge: {
    type: 'object',
    additionalProperties: false,
    properties: {
      step: stepName,
      read_timeout_ms: { type: 'integer', minimum: 1000, maximum: 300_000, default: 60_000 },
    },
  },
  webhook_handler: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...Object.fromEntries(RATE_LIMIT_PERIODS.map((p) => [p, limit])),
      policy: { type: 'string', enum: ['local', 'cluster', 'redis'] },
      limit_by: { type: 'string', enum: ['ip', 'consumer', 'credential', 'service', 'header', 'path'], default: 'ip' },
      header_name: { type: 'string', pattern: '^[A-Za-z0-9-]{1,100}$' },
      path: { type: 'string', maxLength: 1024, pattern: KONG_PATH },
      fault_tolerant: { type: 'boolean', default: true },
      hide_client_headers: { type: 'boolean', default: false },
    },
  },
  smart_aggregator: {
    type: 'object',
    additionalProperties: false,
    properties: {
      cache_ttl: { type: 'integer', minimum: 1, maximum: 86_400, default: 300 },
      steps: { type: 'array', items: stepName, minItems: 1, maxItems: 50, uniqueItems: true },
    },
  },
  federated_security: {
    type: 'object',
    additionalProperties: false,
    properties: {
      auth: { type: 'string', enum: ['key-auth', 'oauth2'], default: 'key-auth' },
      key_names: {
        type: 'array',
        items: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
        minItems: 1,
        maxItems: 10,
        default: ['apikey'],
      },
      hide_credentials: { type: 'boolean', default: true },
      scopes: {
        type: 'array',
        items: { type: 'string', pattern: '^[A-Za-z0-9:._-]{1,100}$' },
        minItems: 1,
        maxItems: 50,
        uniqueItems: true,
      },
      mandatory_scope: { type: 'boolean', default: false },
      token_expiration: { type: 'integer', minimum: 60, maximum: 31_536_000, default: 7200 },
      redirect_uris: { type: 'array', items: { type: 'string', pattern: '^https?://\\S+$', maxLength: 2048 }, minItems: 1, maxItems: 10 },
    },
  },
  usage_tracking: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_batch_size: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      max_coalescing_delay: { type: 'number', format: 'double', minimum: 0, maximum: 3600, default: 1 },
    },
  },
};

// `double` is a documentation format (fractional seconds); any number passes it.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, formats: { double: true } });
const validators = Object.fromEntries(Object.entries(TEMPLATE_OPTION_SCHEMAS).map(([k, s]) => [k, ajv.compile(s)])) as Record<
  UseCase,
  ValidateFunction
>;

function toDetail(e: ErrorObject): ErrorDetail {
  const path = e.instancePath
    .replace(/^\//, '')
    .replace(/\/(\d+)/g, '[$1]')
    .replace(/\//g, '.');
  const base = path ? `options.${path}` : 'options';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { field: `${base}.${extra}`, message: `${base}.${extra} is not an option of this use case` };
  }
  if (e.keyword === 'enum')
    return { field: base, message: `${base} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
  if (e.keyword === 'pattern' && (e.params as { pattern: string }).pattern === KONG_PATH) {
    return {
      field: base,
      message: `${base} must be a URL path: "/" then letters, digits, ".", "_", "~", "-", "/" or %XX escapes, with no empty segment ("//")`,
    };
  }
  return { field: base, message: `${base} ${e.message}` };
}

/**
 * Validates and completes a use case's options before anything reaches Kong: schema first,
 * then the rules Kong itself would enforce (so the answer is a 400 naming the option, and the
 * Admin API is never called with a config it will refuse).
 */
export function validateOptions<U extends UseCase>(useCase: U, raw: unknown, config: AppConfig, workflowId: string): UseCaseOptions[U] {
  const options = structuredClone(raw ?? {}) as Record<string, unknown>;
  if (typeof options !== 'object' || Array.isArray(options))
    throw AppException.validation([{ field: 'options', message: 'options must be an object' }]);
  const validate = validators[useCase];
  if (!validate(options)) throw AppException.validation((validate.errors ?? []).map(toDetail));

  const problems: ErrorDetail[] = [];
  if (useCase === 'webhook_handler') {
    const given = RATE_LIMIT_PERIODS.filter((p) => typeof options[p] === 'number');
    if (!given.length) options.second = 100;
    for (let i = 1; i < given.length; i++) {
      const [shorter, longer] = [given[i - 1], given[i]];
      if ((options[longer] as number) < (options[shorter] as number)) {
        problems.push({
          field: `options.${longer}`,
          message: `options.${longer} (${String(options[longer])}) may not be lower than options.${shorter} (${String(options[shorter])})`,
        });
      }
    }
    options.policy ??= config.kong.rateLimitRedis ? 'redis' : 'local';
    if (options.policy === 'redis' && !config.kong.rateLimitRedis) {
      problems.push({ field: 'options.policy', message: 'options.policy "redis" needs KONG_RATE_LIMIT_REDIS_HOST to be configured' });
    }
    if (options.policy === 'cluster' && config.kong.mode === 'dbless') {
      problems.push({
        field: 'options.policy',
        message: 'options.policy "cluster" needs Kong with a database; use "local" or "redis" in DB-less mode',
      });
    }
    problems.push(...limitByProblems(options, routePath('webhook_handler', workflowId)));
  }
  if (useCase === 'federated_security') {
    if (options.auth === 'oauth2' && config.kong.mode === 'dbless') {
      problems.push({
        field: 'options.auth',
        message: 'options.auth "oauth2" needs Kong with a database (Kong keeps OAuth2 tokens in it); use "key-auth" in DB-less mode',
      });
    }
    if (options.mandatory_scope === true && !options.scopes) {
      problems.push({ field: 'options.scopes', message: 'options.scopes is required when options.mandatory_scope is true' });
    }
    if (options.auth !== 'oauth2') {
      for (const k of ['scopes', 'mandatory_scope', 'redirect_uris', 'token_expiration'] as const) {
        if (k in ((raw as object) ?? {}))
          problems.push({ field: `options.${k}`, message: `options.${k} applies only when options.auth is "oauth2"` });
      }
      delete options.mandatory_scope;
      delete options.token_expiration;
    }
  }
  if (problems.length) throw AppException.validation(problems);
  return options as unknown as UseCaseOptions[U];
}

/**
 * Kong's rate-limiting requires `header_name` with `limit_by: header` and `path` with
 * `limit_by: path` (its schema's conditional checks), and ignores them otherwise; Flowgate
 * refuses them where they would be ignored, like the oauth2-only options. Kong compares
 * `path` with the request path exactly, so a path outside this deployment's route could never
 * match and every request would silently be counted by client address.
 */
function limitByProblems(options: Record<string, unknown>, route: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const needs = { header: 'header_name', path: 'path' } as const;
  for (const [limitBy, field] of Object.entries(needs)) {
    if (options.limit_by === limitBy && options[field] === undefined) {
      problems.push({ field: `options.${field}`, message: `options.${field} is required when options.limit_by is "${limitBy}"` });
    }
    if (options.limit_by !== limitBy && options[field] !== undefined) {
      problems.push({ field: `options.${field}`, message: `options.${field} applies only when options.limit_by is "${limitBy}"` });
    }
  }
  const path = options.path;
  if (options.limit_by === 'path' && typeof path === 'string' && path !== route && !path.startsWith(`${route}/`)) {
    problems.push({
      field: 'options.path',
      message: `options.path must be this deployment's route path ${route} (or a path below it): Kong counts by path only for requests to exactly that path`,
    });
  }
  return problems;
}
