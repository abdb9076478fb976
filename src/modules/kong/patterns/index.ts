import { AppConfig } from '../../../core/config/app-config';
import { federatedSecurity } from './federated-security.pattern';
import { KongPlan } from './kong-plan';
import { KongPattern, OptionsJsonSchema, patternRoutePath, StoredOptions } from './kong-pattern';
import { PlanInput } from './plan-kit';
import { protocolBridge } from './protocol-bridge.pattern';
import { smartAggregator } from './smart-aggregator.pattern';
import { usageTracking } from './usage-tracking.pattern';
import { webhookHandler } from './webhook-handler.pattern';

/**
 * The gateway patterns, as Flowgate names them in `POST /api/kong/templates` (`use_case`).
 * One line per pattern; everything about a pattern lives in its own file.
 */
export const KONG_PATTERNS = {
  protocol_bridge: protocolBridge,
  webhook_handler: webhookHandler,
  smart_aggregator: smartAggregator,
  federated_security: federatedSecurity,
  usage_tracking: usageTracking,
} as const satisfies Record<string, KongPattern>;

export type UseCase = keyof typeof KONG_PATTERNS;
export const USE_CASES = Object.keys(KONG_PATTERNS) as [UseCase, ...UseCase[]];

export function patternFor(useCase: UseCase): KongPattern {
  return KONG_PATTERNS[useCase];
}

/** True for a name the registry knows (a stored row or a request may carry anything). */
export function isUseCase(name: string): name is UseCase {
  return Object.hasOwn(KONG_PATTERNS, name);
}

/**
 * Patterns whose Kong route forwards to the workflow's own webhook (`/api/webhooks/<id>`) and
 * adds something there (rate limiting, key-auth/OAuth2 + ACL, metering). A direct call to the
 * webhook would skip it, so a workflow behind any of them accepts webhook calls only with the
 * gateway secret its deployment's route adds. The others reach their own endpoints, which check
 * their own gateway secret; they leave the webhook as it was.
 */
export const WEBHOOK_FRONTING_USE_CASES: readonly UseCase[] = USE_CASES.filter((u) => KONG_PATTERNS[u].frontsWebhook);

/** Patterns that add credentials to the tenant's shared Kong consumer. */
export const TENANT_CONSUMER_USE_CASES: readonly UseCase[] = USE_CASES.filter((u) => KONG_PATTERNS[u].usesTenantConsumer);

/**
 * Each pattern's option schema; defaults are filled in, unknown options are refused. Exported
 * so a test can enumerate every allowed value and prove Kong accepts what each one renders.
 */
export const TEMPLATE_OPTION_SCHEMAS = Object.fromEntries(USE_CASES.map((u) => [u, KONG_PATTERNS[u].optionsSchema])) as Record<
  UseCase,
  OptionsJsonSchema
>;

/** The public path a deployment answers on at Kong's proxy. */
export function routePath(useCase: UseCase, workflowId: string): string {
  return patternRoutePath(KONG_PATTERNS[useCase], workflowId);
}

/**
 * Validates and completes a use case's options before anything reaches Kong: schema first,
 * then the rules Kong itself would enforce (so the answer is a 400 naming the option, and the
 * Admin API is never called with a config it will refuse).
 */
export function validateOptions(useCase: UseCase, raw: unknown, config: AppConfig, workflowId: string): StoredOptions {
  return KONG_PATTERNS[useCase].validate(raw, { config, workflowId });
}

/** What one deployment wants in Kong. */
export function buildPlan(input: PlanInput & { useCase: UseCase }, config: AppConfig): KongPlan {
  return KONG_PATTERNS[input.useCase].plan(input, config);
}

export type { KongPattern, StoredOptions } from './kong-pattern';
