import type { TrustProxy } from '../http-server/trust-proxy';
import type { QueueKey } from '../queue/queue.registry';
import type { RedisTopology } from '../redis/redis-topology';

/** The typed configuration every provider receives (token: APP_CONFIG). */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  role: 'all' | 'api' | 'worker';
  port: number;
  host: string;
  workerPort: number;
  logLevel: string;
  /** `json` (one pino line per event) or `pretty` (pino-pretty, when installed). */
  logFormat: 'json' | 'pretty';
  version: string;
  database: {
    url: string;
    poolSize: number;
    runMigrations: boolean;
    /** Create the database when it does not exist (DATABASE_CREATE; default on outside production). */
    create: boolean;
    /** Start-up waits this long for PostgreSQL, retrying with backoff, before it gives up. */
    connectTimeoutSeconds: number;
  };
  /** REDIS_URL, and with REDIS_CLUSTER_NODES or REDIS_SENTINELS the topology (redis-topology.ts). */
  redis: { url: string; topology?: RedisTopology };
  /** DATABASE_READ_URL: where the logs' read queries go (a replica); unset: the primary. */
  readDatabase: { url?: string };
  queue: {
    prefix: string;
    /** Job schedulers are put back after each Redis reconnect and checked this often (0: only on reconnect). */
    schedulerCheckIntervalSeconds: number;
    /** WORKER_QUEUES: the queues a worker (ROLE=worker or all) takes jobs from; every queue by default. */
    workerQueues: QueueKey[];
  };
  auth: { jwtSecret: string; jwtExpiresIn: string; devMode: boolean };
  /** 32-byte AES keys; `current` encrypts, every key decrypts (rotation). */
  crypto: { current: Buffer; old: Buffer[] };
  admin: { token?: string };
  http: {
    corsOrigins: string[];
    bodyLimit: number;
    rateLimit: { ttlSeconds: number; limit: number };
    /** Login/register attempts per window: `limit` per email, `ipLimit` per client address. */
    authRateLimit: { ttlSeconds: number; limit: number; ipLimit: number };
    /** TRUST_PROXY: which hops may name the client in X-Forwarded-For (false: none). */
    trustProxy: TrustProxy;
    /** Server timeouts (API and the worker's probe server): slow or idle clients are cut off. */
    timeouts: { requestMs: number; headersMs: number; keepAliveMs: number; connectionMs: number };
  };
  /** /health/detailed answers from a result at most this old. */
  health: { detailedCacheMs: number };
  /** The one outbound HTTP client (src/core/http): SSRF allow-list, timeouts, response size cap. */
  outbound: {
    /** Hostnames, IPs and CIDR ranges the SSRF guard lets through (e.g. the test fakes on loopback). */
    allowHosts: string[];
    timeoutMs: number;
    connectTimeoutMs: number;
    maxResponseBytes: number;
  };
  connectors: {
    /** Every `<NAME>_BASE_URL` env var (e.g. OPENWEATHER_BASE_URL), keyed by the variable name. */
    baseUrls: Record<string, string>;
    /** Step timeout used when the caller gives none. */
    stepTimeoutMs: number;
    /** GOOGLE_TOKEN_URL: where Google service-account keys are exchanged for access tokens. */
    googleTokenUrl: string;
  };
  /** Nango (marketplace). A route that needs a missing setting answers 503 naming it. */
  nango: {
    host?: string;
    secretKey?: string;
    /** Signing key of `X-Nango-Hmac-Sha256` on incoming webhooks. */
    webhookSecret?: string;
    timeoutMs: number;
    /** Where GET /api/auth/callback redirects when set (JSON answer otherwise). */
    oauthRedirectUrl?: string;
  };
  marketplace: {
    /** Refresh tokens expiring within this many minutes (the sweep runs hourly). */
    refreshWindowMinutes: number;
    /** Refresh jobs running at once, across all workers (BullMQ global concurrency). */
    refreshConcurrency: number;
    syncRunRetentionDays: number;
    /** Marketplace API requests per tenant per minute (shared by replicas through Redis). */
    rateLimitRequests: number;
    /**
     * Install the hourly sweep / daily cleanup job schedulers. Off by default under
     * NODE_ENV=test, where many apps share one database and a sweep is system-wide.
     */
    refreshSchedulesEnabled: boolean;
  };
  cache: { defaultTtlSeconds: number };
  swaggerEnabled: boolean;
  /** The web console at `/` (CONSOLE_ENABLED) and the folder its build is in (CONSOLE_DIR, default web/dist). */
  console: {
    enabled: boolean;
    dir: string;
    /** NANGO_CONNECT_URL's origin: the only frame the console's CSP allows (Nango's Connect UI). */
    nangoConnectOrigin: string;
  };
  shutdownTimeoutMs: number;
  /** Workflow runs: worker concurrency, stall detection, the log's size cap and retention. */
  executions: {
    concurrency: number;
    retentionDays: number;
    /** Daily `executions` partitions created ahead of today (UTC days, today excluded). */
    partitionsAheadDays: number;
    /** Stored input and each step's input/output are capped at this many bytes of JSON. */
    maxStoredBytes: number;
    /** A running job's lock; a worker that dies loses it after this long and the job runs again. */
    lockDurationMs: number;
    stalledIntervalMs: number;
    reconcileIntervalSeconds: number;
    /** A run still `queued`/`running` this long after its last update, with no live job, is marked failed. */
    stuckAfterSeconds: number;
    /**
     * A run on its first delivery writes no `running` row until it has run this long: a quick
     * run writes its row once, at the end (0: every run writes `running` when it starts).
     */
    runningRowAfterMs: number;
    /**
     * Rebuild workflow job schedulers from the database (under a lock) at start, after each
     * Redis reconnect and every queue.schedulerCheckIntervalSeconds. Default on; off under
     * NODE_ENV=test, where many apps with different queue prefixes share one database.
     */
    reconcileSchedules: boolean;
  };
  /**
   * What one workflow may cost while it runs, enforced while templates render (never after the
   * value is built): bytes of JSON per step's rendered params, per run (rendered inputs and
   * outputs of all its steps), and steps per workflow.
   */
  workflowLimits: {
    renderMaxStepBytes: number;
    renderMaxRunBytes: number;
    maxSteps: number;
  };
  /** The webhook ingest path. */
  webhooks: {
    /** Accepted events per tenant per window (429 with Retry-After beyond). */
    rateLimit: { limit: number; windowSeconds: number };
    /** How long a replica trusts its in-process copy of a workflow (edits in this process invalidate at once). */
    cacheTtlMs: number;
    /** A queue add that takes longer answers 503. */
    enqueueTimeoutMs: number;
  };
  /** Kong Admin API (an operator-configured internal address; not subject to the outbound SSRF guard). */
  kong: {
    /** undefined: the Kong integration is off (KONG_ADMIN_URL set to ""). */
    adminUrl?: string;
    mode: 'db' | 'dbless';
    adminToken?: string;
    adminTimeoutMs: number;
    adminRetries: number;
    /** Shared secret Kong's http-log sends in X-Kong-Usage-Secret; usage metering is off without it. */
    usageSecret?: string;
    /** Base URL at which Kong reaches Flowgate's own endpoints (webhooks, bridge, aggregate, usage). */
    publicUrlForKong: string;
    /** Redis used by Kong's rate-limiting plugin (policy redis) when a host is given. */
    rateLimitRedis?: { host: string; port: number; database: number; password?: string };
    /** DB-less: how often the api checks that Kong still has the tenants' routes (0 = never). */
    dblessReconcileSeconds: number;
    /**
     * DB-less: absolute path of the operator's declarative file (the one Kong starts with);
     * its entities are kept in every config Flowgate loads. undefined: none (set to "").
     */
    dblessBaseConfig?: string;
  };
  /** PUBLIC_URL: where people reach this deployment (invitation links); unset: the request's own origin. */
  publicUrl?: string;
  invitations: { ttlHours: number };
  /** Outgoing mail (invitations). `smtp` undefined: Flowgate sends no email. */
  mail: { smtp?: SmtpSettings; from?: string };
  /** The audit log: rows older than retentionDays are deleted by the daily `prune-audit` job. */
  audit: { retentionDays: number };
  /** Things worth a warning at start (generated dev secrets and the like). */
  warnings: string[];
}

/** SMTP_URL or SMTP_HOST/PORT/USER/PASSWORD/SECURE, parsed. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (smtps, port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** Connect, greeting and socket inactivity each; a send never takes much longer (SMTP_TIMEOUT_MS). */
  timeoutMs: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
