import { AppConfig } from '../../../core/config/app-config';
import { KongPlan, PlanPlugin, PlanRoute } from './kong-plan';
import { RATE_LIMIT_PERIODS, ROUTE_SUFFIX, UseCase, UseCaseOptions } from './use-cases';

/**
 * Header Kong adds (via request-transformer) so Flowgate knows a call came through the
 * deployment's route: the bridge and aggregate endpoints, and the webhook of a workflow behind
 * a webhook-fronting pattern (WEBHOOK_FRONTING_USE_CASES).
 */
export const GATEWAY_SECRET_HEADER = 'x-flowgate-gateway-secret';
/** Header Kong's http-log sends to the usage endpoint. */
export const USAGE_SECRET_HEADER = 'x-kong-usage-secret';

/** Secrets a deployment keeps (encrypted at rest). */
export interface DeploymentSecrets {
  /** Every use case: proves a request came through this deployment's Kong route (absent only on webhook-fronting deployments made before it was required). */
  gatewaySecret?: string;
  /** federated_security (key-auth): the tenant consumer's key for this deployment. */
  apiKey?: string;
  /** federated_security (oauth2): the client credentials. */
  oauth2?: { clientId: string; clientSecret: string };
}

export interface PlanInput<U extends UseCase = UseCase> {
  deploymentId: string;
  tenantId: string;
  workflowId: string;
  useCase: U;
  options: UseCaseOptions[U];
  secrets: DeploymentSecrets;
}

export function deploymentTags(i: { tenantId: string; workflowId: string; deploymentId: string }): string[] {
  return ['flowgate', `tenant:${i.tenantId}`, `workflow:${i.workflowId}`, `deployment:${i.deploymentId}`];
}

export function tenantConsumerName(tenantId: string): string {
  return `flowgate-tenant-${tenantId}`;
}

/** Entity names are derived from the deployment id, so re-applying upserts the same entities. */
export function entityName(useCase: UseCase, deploymentId: string): string {
  return `flowgate-${ROUTE_SUFFIX[useCase]}-${deploymentId}`;
}

/** The public path a deployment answers on at Kong's proxy: workflow ids are global UUIDs, so paths never collide between tenants. */
export function routePath(useCase: UseCase, workflowId: string): string {
  return `/workflows/${workflowId}/${ROUTE_SUFFIX[useCase]}`;
}

export function buildPlan(input: PlanInput, config: AppConfig): KongPlan {
  const tags = deploymentTags(input);
  const name = entityName(input.useCase, input.deploymentId);
  const base = config.kong.publicUrlForKong;
  const route = (methods: string[], plugins: PlanPlugin[]): PlanRoute => ({
    name,
    paths: [routePath(input.useCase, input.workflowId)],
    methods,
    protocols: ['http', 'https'],
    strip_path: true,
    preserve_host: false,
    tags,
    plugins,
  });
  const plugin = (pluginName: string, pluginConfig: Record<string, unknown>): PlanPlugin => ({
    name: pluginName,
    config: pluginConfig,
    tags,
  });
  const secrets: string[] = [];
  const gatewayHeader = (): PlanPlugin => {
    const secret = required(input.secrets.gatewaySecret, 'gateway secret');
    secrets.push(secret);
    // remove runs before add in request-transformer: a client cannot smuggle its own value in.
    return plugin('request-transformer', {
      remove: { headers: [GATEWAY_SECRET_HEADER] },
      add: { headers: [`${GATEWAY_SECRET_HEADER}:${secret}`] },
    });
  };
  const webhookUrl = `${base}/api/webhooks/${input.workflowId}`;
  // Patterns in front of the webhook send the gateway secret too: the webhook then refuses
  // direct calls, which would skip the route's auth, ACL, rate limit or metering. A deployment
  // stored by an earlier version has no secret: it renders as before until the start-up upgrade
  // (KongTemplatesService.gateLegacyWebhookFronts) or a re-apply gives it one.
  const webhookGate = (): PlanPlugin[] => (input.secrets.gatewaySecret ? [gatewayHeader()] : []);

  switch (input.useCase) {
    case 'protocol_bridge': {
      const o = input.options as UseCaseOptions['protocol_bridge'];
      return {
        services: [
          {
            name,
            url: `${base}/api/kong/bridge/${input.deploymentId}`,
            read_timeout: o.read_timeout_ms,
            retries: 0,
            tags,
            routes: [route(['POST'], [gatewayHeader()])],
          },
        ],
        secrets,
      };
    }
    case 'webhook_handler': {
      const o = input.options as UseCaseOptions['webhook_handler'];
      const rl: Record<string, unknown> = {
        policy: o.policy,
        limit_by: o.limit_by,
        fault_tolerant: o.fault_tolerant,
        hide_client_headers: o.hide_client_headers,
      };
      for (const p of RATE_LIMIT_PERIODS) if (typeof o[p] === 'number') rl[p] = o[p];
      if (o.header_name) rl.header_name = o.header_name;
      if (o.path) rl.path = o.path;
      if (o.policy === 'redis' && config.kong.rateLimitRedis) {
        const r = config.kong.rateLimitRedis;
        rl.redis = { host: r.host, port: r.port, database: r.database, ...(r.password ? { password: r.password } : {}) };
        if (r.password) secrets.push(r.password);
      }
      return {
        services: [{ name, url: webhookUrl, retries: 0, tags, routes: [route(['POST'], [plugin('rate-limiting', rl), ...webhookGate()])] }],
        secrets,
      };
    }
    case 'smart_aggregator': {
      const o = input.options as UseCaseOptions['smart_aggregator'];
      const cache = plugin('proxy-cache', {
        strategy: 'memory',
        cache_ttl: o.cache_ttl,
        // Kong matches content types exactly; Flowgate answers JSON with a charset.
        content_type: ['application/json', 'application/json; charset=utf-8'],
        request_method: ['GET', 'HEAD'],
        response_code: [200],
      });
      return {
        services: [
          {
            name,
            url: `${base}/api/kong/aggregate/${input.deploymentId}`,
            retries: 0,
            tags,
            routes: [route(['GET', 'HEAD'], [gatewayHeader(), cache])],
          },
        ],
        secrets,
      };
    }
    case 'federated_security': {
      const o = input.options as UseCaseOptions['federated_security'];
      const group = `flowgate-deployment-${input.deploymentId}`;
      const authPlugin =
        o.auth === 'oauth2'
          ? plugin('oauth2', {
              enable_client_credentials: true,
              scopes: o.scopes,
              mandatory_scope: o.mandatory_scope,
              token_expiration: o.token_expiration,
              hide_credentials: o.hide_credentials,
              global_credentials: false,
            })
          : plugin('key-auth', { key_names: o.key_names, hide_credentials: o.hide_credentials });
      const consumer: KongPlan['consumer'] = {
        username: tenantConsumerName(input.tenantId),
        custom_id: input.tenantId,
        tags: ['flowgate', `tenant:${input.tenantId}`],
        acl: { group, tags },
      };
      if (o.auth === 'oauth2') {
        const c = required(input.secrets.oauth2, 'oauth2 client');
        secrets.push(c.clientSecret);
        consumer.oauth2 = {
          name: `flowgate-${input.deploymentId}`,
          client_id: c.clientId,
          client_secret: c.clientSecret,
          redirect_uris: o.redirect_uris,
          tags,
        };
      } else {
        const key = required(input.secrets.apiKey, 'api key');
        secrets.push(key);
        consumer.keyAuth = { key, tags };
      }
      // The ACL ties the route to this deployment's group, so another tenant's key is refused.
      const acl = plugin('acl', { allow: [group], hide_groups_header: true });
      return {
        services: [{ name, url: webhookUrl, retries: 0, tags, routes: [route(['POST'], [authPlugin, acl, ...webhookGate()])] }],
        consumer,
        secrets,
      };
    }
    case 'usage_tracking': {
      const o = input.options as UseCaseOptions['usage_tracking'];
      const usageSecret = config.kong.usageSecret;
      if (!usageSecret) throw new Error('usage_tracking needs KONG_USAGE_SECRET (checked before planning)');
      secrets.push(usageSecret);
      const log = plugin('http-log', {
        http_endpoint: `${base}/api/kong/usage`,
        method: 'POST',
        content_type: 'application/json',
        timeout: 10_000,
        keepalive: 60_000,
        headers: { [USAGE_SECRET_HEADER]: usageSecret },
        queue: { max_batch_size: o.max_batch_size, max_coalescing_delay: o.max_coalescing_delay },
      });
      return { services: [{ name, url: webhookUrl, retries: 0, tags, routes: [route(['POST'], [log, ...webhookGate()])] }], secrets };
    }
  }
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`deployment is missing its ${what}`);
  return v;
}
