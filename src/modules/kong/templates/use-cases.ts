/** The five gateway patterns of GoFlow, as Flowgate names them in `POST /api/kong/templates`. */
export const USE_CASES = ['protocol_bridge', 'webhook_handler', 'smart_aggregator', 'federated_security', 'usage_tracking'] as const;
export type UseCase = (typeof USE_CASES)[number];

export const RATE_LIMIT_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;
export type RateLimitPeriod = (typeof RATE_LIMIT_PERIODS)[number];

export interface ProtocolBridgeOptions {
  /** Name of the workflow's soap step the bridge runs; default: its first soap step. */
  step?: string;
  /** How long Kong waits for Flowgate's bridge answer. */
  read_timeout_ms: number;
}

export interface WebhookHandlerOptions extends Partial<Record<RateLimitPeriod, number>> {
  policy?: 'local' | 'cluster' | 'redis';
  limit_by: 'ip' | 'consumer' | 'credential' | 'service' | 'header' | 'path';
  /** Required with limit_by "header": the request header whose value Kong counts by. */
  header_name?: string;
  /** Required with limit_by "path": the request path Kong counts together (exact match). */
  path?: string;
  fault_tolerant: boolean;
  hide_client_headers: boolean;
}

export interface SmartAggregatorOptions {
  cache_ttl: number;
  /** Names of the read-only steps to run; default: every read-only step of the workflow. */
  steps?: string[];
}

export interface FederatedSecurityOptions {
  auth: 'key-auth' | 'oauth2';
  key_names: string[];
  hide_credentials: boolean;
  scopes?: string[];
  mandatory_scope: boolean;
  token_expiration: number;
  redirect_uris?: string[];
}

export interface UsageTrackingOptions {
  max_batch_size: number;
  max_coalescing_delay: number;
}

export interface UseCaseOptions {
  protocol_bridge: ProtocolBridgeOptions;
  webhook_handler: WebhookHandlerOptions;
  smart_aggregator: SmartAggregatorOptions;
  federated_security: FederatedSecurityOptions;
  usage_tracking: UsageTrackingOptions;
}

/** Path segment under /workflows/<id>/ that each pattern's Kong route answers on. */
export const ROUTE_SUFFIX: Record<UseCase, string> = {
  protocol_bridge: 'bridge',
  webhook_handler: 'webhook',
  smart_aggregator: 'aggregate',
  federated_security: 'secure',
  usage_tracking: 'metered',
};

/**
 * Patterns whose Kong route forwards to the workflow's own webhook (`/api/webhooks/<id>`) and
 * adds something there: rate limiting (webhook_handler), key-auth/OAuth2 + ACL
 * (federated_security), metering (usage_tracking). A direct call to the webhook would skip it,
 * so a workflow behind any of them accepts webhook calls only with the gateway secret its
 * deployment's route adds. protocol_bridge and smart_aggregator reach other endpoints, which
 * check their own gateway secret; they leave the webhook as it was.
 */
export const WEBHOOK_FRONTING_USE_CASES: readonly UseCase[] = ['webhook_handler', 'federated_security', 'usage_tracking'];

export function frontsWebhook(useCase: UseCase): boolean {
  return WEBHOOK_FRONTING_USE_CASES.includes(useCase);
}
