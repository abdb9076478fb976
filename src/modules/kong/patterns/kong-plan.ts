/**
 * What one deployment wants in Kong, independent of how it gets there: the DB-mode applier
 * turns it into Admin API upserts, the DB-less renderer merges every deployment's plan into
 * one declarative config. Built fresh from the stored deployment each time (it carries
 * decrypted secrets, so it is never stored or logged).
 */
export interface PlanPlugin {
  name: string;
  config: Record<string, unknown>;
  tags: string[];
}

export interface PlanRoute {
  name: string;
  paths: string[];
  methods: string[];
  protocols: string[];
  strip_path: boolean;
  preserve_host: boolean;
  tags: string[];
  plugins: PlanPlugin[];
}

export interface PlanService {
  name: string;
  url: string;
  read_timeout?: number;
  retries?: number;
  tags: string[];
  routes: PlanRoute[];
}

/** The tenant's shared consumer plus the credentials this deployment adds to it. */
export interface PlanConsumer {
  username: string;
  custom_id: string;
  /** Tenant-level tags only: the consumer outlives any one deployment. */
  tags: string[];
  keyAuth?: { key: string; tags: string[] };
  acl: { group: string; tags: string[] };
  oauth2?: { name: string; client_id: string; client_secret: string; redirect_uris?: string[]; tags: string[] };
}

export interface KongPlan {
  services: PlanService[];
  consumer?: PlanConsumer;
  /** Secret values inside the plan, scrubbed from any error Kong echoes. */
  secrets: string[];
}

/** A planned route as Kong stores it (both appliers send these fields; plugins go separately or nested). */
export function routeEntity(r: PlanRoute): Record<string, unknown> {
  return {
    name: r.name,
    paths: r.paths,
    methods: r.methods,
    protocols: r.protocols,
    strip_path: r.strip_path,
    preserve_host: r.preserve_host,
    tags: r.tags,
  };
}

/** A planned plugin as Kong stores it. */
export function pluginEntity(p: PlanPlugin): PlanPlugin {
  return { name: p.name, config: p.config, tags: p.tags };
}
