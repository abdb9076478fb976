import { AppConfig } from '../../../core/config/app-config';
import { KongPlan, pluginEntity, PlanRoute, routeEntity } from '../patterns/kong-plan';

export type DeclarativeConfig = {
  _format_version: '3.0';
  _transform: boolean;
  services: Record<string, unknown>[];
  consumers?: Record<string, unknown>[];
};

const BASE_TAGS = ['flowgate', 'flowgate-base'];

/** Default limit on Flowgate's own webhook ingest route through Kong (per client address). */
export const BASE_WEBHOOK_RATE_PER_SECOND = 100;

/**
 * What Kong publishes of Flowgate's own API: what end users call, and nothing operational.
 * Kong matches paths by prefix, so each entry opens everything below it.
 * - The REST API developers and the UI call (JWT on every route): auth (register, login, the
 *   marketplace's OAuth callback; dev-login answers 404 unless DEV_MODE, never in production),
 *   tenants, workflows, executions and logs, credentials, connectors, companies, usage, and the
 *   Kong templates and status, the audit log, invitations (an invitee looks up and accepts
 *   an invitation before having a token), and the dashboard's figures.
 * - /api/nango: Nango's signed webhook, called from outside.
 * - The web console (CONSOLE_PATHS, GET only), so it calls the API at its own origin.
 * - Webhooks (POST /api/webhooks/...) have their own rate-limited route below; the pattern
 *   routes (/workflows/<id>/...) come from the deployments.
 * Not published (NOT_PUBLISHED_PATHS): reached on the api itself (internal network, loopback).
 */
export const PUBLISHED_API_PATHS: readonly string[] = [
  '/api/auth',
  '/api/tenants',
  '/api/workflows',
  '/api/executions',
  '/api/logs',
  '/api/credentials',
  '/api/connectors',
  '/api/companies',
  '/api/usage',
  '/api/kong/templates',
  '/api/kong/status',
  '/api/nango',
  '/api/audit',
  '/api/invitations',
  '/api/dashboard',
];

/**
 * The web console (GET only): its page at `/` exactly, its hashed assets, and the first segment
 * of each console route (web/src/app/routes.tsx; a test keeps the two equal), so the console
 * and the API it calls share Kong's origin. Not `/` as a prefix: that would publish everything
 * below it, /health, /metrics, /docs and /api/admin included. Deployment routes
 * (/workflows/<id>/<suffix>) are longer prefixes, so Kong still picks them for their paths.
 */
export const CONSOLE_PATHS: readonly string[] = [
  '~/$',
  '/assets',
  '/login',
  '/register',
  '/invitations/accept',
  '/workflows',
  '/runs',
  '/connections',
  '/connectors',
  '/companies',
  '/gateway',
  '/team',
  '/admin',
];

/** Flowgate's routes Kong does not publish, and why (kong/README.md lists them). */
export const NOT_PUBLISHED_PATHS: Readonly<Record<string, string>> = {
  '/health': 'probes (liveness, readiness, detailed dependency checks): the orchestrator calls the api directly',
  '/metrics': 'Prometheus scrapes the api directly',
  '/docs': 'Swagger UI: developers read it on the api (loopback in compose); the OpenAPI document is in the repository',
  '/api/admin': 'operator tools (admin token): on the api only',
  '/api/kong/bridge': "Kong's protocol_bridge routes call it on FLOWGATE_PUBLIC_URL_FOR_KONG, not through the proxy",
  '/api/kong/aggregate': "Kong's smart_aggregator routes call it on FLOWGATE_PUBLIC_URL_FOR_KONG, not through the proxy",
  '/api/kong/usage': "Kong's http-log posts to it on FLOWGATE_PUBLIC_URL_FOR_KONG, not through the proxy",
};

/**
 * Flowgate's own routes through Kong: the public API (PUBLISHED_API_PATHS) and the webhook
 * ingest path with a rate limit. This is kong/kong.yml, and in DB-less mode it is also the
 * first part of every config Flowgate loads (POST /config replaces everything, so leaving it
 * out would cut the API off).
 */
export function baseServices(config: AppConfig): Record<string, unknown>[] {
  const webhookLimit: Record<string, unknown> = {
    second: BASE_WEBHOOK_RATE_PER_SECOND,
    limit_by: 'ip',
    policy: config.kong.rateLimitRedis ? 'redis' : 'local',
    fault_tolerant: true,
  };
  if (config.kong.rateLimitRedis) {
    const r = config.kong.rateLimitRedis;
    webhookLimit.redis = { host: r.host, port: r.port, database: r.database, ...(r.password ? { password: r.password } : {}) };
  }
  return [
    {
      name: 'flowgate-api',
      url: config.kong.publicUrlForKong,
      tags: BASE_TAGS,
      routes: [
        {
          name: 'flowgate-api',
          paths: [...PUBLISHED_API_PATHS],
          protocols: ['http', 'https'],
          strip_path: false,
          preserve_host: true,
          tags: BASE_TAGS,
        },
        {
          name: 'flowgate-console',
          paths: [...CONSOLE_PATHS],
          methods: ['GET', 'HEAD'],
          protocols: ['http', 'https'],
          strip_path: false,
          preserve_host: true,
          tags: BASE_TAGS,
        },
        {
          // POST only, with a per-client rate limit in front of the ingest path.
          name: 'flowgate-webhooks',
          paths: ['/api/webhooks'],
          methods: ['POST'],
          protocols: ['http', 'https'],
          strip_path: false,
          preserve_host: true,
          tags: BASE_TAGS,
          plugins: [{ name: 'rate-limiting', config: webhookLimit, tags: BASE_TAGS }],
        },
      ],
    },
  ];
}

function route(r: PlanRoute): Record<string, unknown> {
  return { ...routeEntity(r), plugins: r.plugins.map(pluginEntity) };
}

/**
 * The whole DB-less configuration: Flowgate's base routes plus every deployment's plan.
 * Consumers are per tenant; each deployment adds its key and ACL group to its tenant's consumer.
 */
export function renderDeclarativeConfig(plans: KongPlan[], config: AppConfig): DeclarativeConfig {
  const services = [...baseServices(config)];
  const consumers = new Map<
    string,
    { username: string; custom_id: string; tags: string[]; keyauth_credentials: unknown[]; acls: unknown[] }
  >();
  for (const plan of plans) {
    for (const s of plan.services) {
      services.push({
        name: s.name,
        url: s.url,
        ...(s.read_timeout ? { read_timeout: s.read_timeout } : {}),
        ...(s.retries !== undefined ? { retries: s.retries } : {}),
        tags: s.tags,
        routes: s.routes.map(route),
      });
    }
    if (plan.consumer) {
      const c = plan.consumer;
      const entry = consumers.get(c.username) ?? {
        username: c.username,
        custom_id: c.custom_id,
        tags: c.tags,
        keyauth_credentials: [],
        acls: [],
      };
      if (c.keyAuth) entry.keyauth_credentials.push({ key: c.keyAuth.key, tags: c.keyAuth.tags });
      entry.acls.push({ group: c.acl.group, tags: c.acl.tags });
      consumers.set(c.username, entry);
    }
  }
  const out: DeclarativeConfig = { _format_version: '3.0', _transform: true, services };
  if (consumers.size) out.consumers = [...consumers.values()];
  return out;
}
