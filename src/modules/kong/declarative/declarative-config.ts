import { AppConfig } from '../../../core/config/app-config';
import { KongPlan, PlanPlugin, PlanRoute } from '../templates/kong-plan';

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
 * Flowgate's own routes through Kong: the public API (and Swagger UI, health) and the
 * webhook ingest path with a rate limit. This is kong/kong.yml, and in DB-less mode it is
 * also the first part of every config Flowgate loads (POST /config replaces everything, so
 * leaving it out would cut the API off).
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
          paths: ['/api', '/docs', '/health'],
          protocols: ['http', 'https'],
          strip_path: false,
          preserve_host: true,
          tags: BASE_TAGS,
        },
        {
          // Longer prefix than /api, so Kong picks this route for webhook deliveries.
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

function plugin(p: PlanPlugin): Record<string, unknown> {
  return { name: p.name, config: p.config, tags: p.tags };
}

function route(r: PlanRoute): Record<string, unknown> {
  return {
    name: r.name,
    paths: r.paths,
    methods: r.methods,
    protocols: r.protocols,
    strip_path: r.strip_path,
    preserve_host: r.preserve_host,
    tags: r.tags,
    plugins: r.plugins.map(plugin),
  };
}

/**
 * The whole DB-less configuration: Flowgate's base routes plus every deployment's plan.
 * Consumers are per tenant; each deployment adds its key and ACL group to its tenant's consumer.
 */
export function renderDeclarativeConfig(plans: KongPlan[], config: AppConfig): DeclarativeConfig {
  const services = [...baseServices(config)];
  const consumers = new Map<string, { username: string; custom_id: string; tags: string[]; keyauth_credentials: unknown[]; acls: unknown[] }>();
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
      const entry = consumers.get(c.username) ?? { username: c.username, custom_id: c.custom_id, tags: c.tags, keyauth_credentials: [], acls: [] };
      if (c.keyAuth) entry.keyauth_credentials.push({ key: c.keyAuth.key, tags: c.keyAuth.tags });
      entry.acls.push({ group: c.acl.group, tags: c.acl.tags });
      consumers.set(c.username, entry);
    }
  }
  const out: DeclarativeConfig = { _format_version: '3.0', _transform: true, services };
  if (consumers.size) out.consumers = [...consumers.values()];
  return out;
}
