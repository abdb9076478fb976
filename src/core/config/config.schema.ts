import { z } from 'zod';
import { databaseUrlProblem } from '../database/database-url';
import { RedisUrlError, redisOptionsFromUrl } from '../redis/redis-url';
import { hostPortsProblem } from '../redis/redis-topology';
import { parseWorkerQueues, unknownWorkerQueuesMessage } from '../queue/worker-queues';

const bool = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const s = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  ctx.addIssue({ code: 'custom', message: `expected true/false, got "${v}"` });
  return z.NEVER;
});

/**
 * A whole number in [min, max]; unset or empty means the default. The message gives the range
 * and the value received ("must be a whole number between 1 and 65535, got 70000").
 */
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
  const expected = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number between ${min} and ${max}`;
  return z
    .union([z.number(), z.string()])
    .optional()
    .transform((v, ctx) => {
      const text = v === undefined ? '' : String(v).trim();
      if (text === '') return def;
      const n = Number(text);
      if (/^[+-]?\d+$/.test(text) && n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: `must be ${expected}, got ${Number.isFinite(n) ? text : JSON.stringify(text)}` });
      return z.NEVER;
    });
};

/** Ports a process listens on or connects to. 0 ("any free port") is refused: nothing could find it. */
const port = (def: number) => int(def, 1, 65535);

/** A check whose message comes from `problem` (undefined: fine). */
const checked = (problem: (v: string) => string | undefined) =>
  z.string().superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });

/** Redis URL problems, in the words of the parser every Redis client uses. */
function redisUrlProblem(url: string): string | undefined {
  try {
    redisOptionsFromUrl(url);
    return undefined;
  } catch (e) {
    if (e instanceof RedisUrlError) return e.message;
    throw e;
  }
}

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

/**
 * Every setting Flowgate reads. Parsed once at start; nothing else touches process.env.
 * Secrets are optional here: `loadConfig` decides whether a missing one is fatal
 * (production) or replaced with a generated development value.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  PORT: port(3000),
  HOST: z.string().default('0.0.0.0'),
  WORKER_PORT: port(3001),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Unset: pretty only in development on a terminal (load-config), JSON everywhere else.
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  DATABASE_URL: checked(databaseUrlProblem).default('postgres://postgres@127.0.0.1:5432/flowgate'),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  /** Create the database when it does not exist (default: on outside production). */
  DATABASE_CREATE: bool.optional(),
  /** How long start-up keeps trying to reach PostgreSQL before it gives up. */
  DATABASE_CONNECT_TIMEOUT_SECONDS: int(60, 1, 3600),
  REDIS_URL: checked(redisUrlProblem).default('redis://127.0.0.1:6379'),
  // Past one Redis / one PostgreSQL (docs/scaling-out.md): a Redis Cluster or Sentinel, a read replica for the logs.
  REDIS_CLUSTER_NODES: checked(hostPortsProblem).optional(),
  REDIS_SENTINELS: checked(hostPortsProblem).optional(),
  REDIS_SENTINEL_NAME: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  DATABASE_READ_URL: checked((v) => (v.trim() ? databaseUrlProblem(v.trim()) : undefined)).optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only')
    .default('flowgate'),
  JWT_SECRET: optionalString,
  JWT_EXPIRES_IN: z
    .string()
    .regex(/^\d+[smhd]?$/, 'a number of seconds or a duration such as 15m, 12h, 7d')
    .default('12h'),
  ENCRYPTION_KEY: optionalString,
  ENCRYPTION_OLD_KEYS: csv,
  ADMIN_TOKEN: optionalString,
  DEV_MODE: bool.default(false),
  CORS_ORIGINS: csv,
  RATE_LIMIT_TTL_SECONDS: int(60, 1),
  RATE_LIMIT_LIMIT: int(600, 1),
  AUTH_RATE_LIMIT_LIMIT: int(10, 1),
  AUTH_RATE_LIMIT_IP_LIMIT: int(100, 1),
  AUTH_RATE_LIMIT_TTL_SECONDS: int(60, 1),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024),
  // The HTTP edge: which proxies may name the client, and how long a client may take.
  // "" = none (the socket peer is the client); a hop count; or addresses/CIDRs (load-config parses it).
  TRUST_PROXY: z.string().default(''),
  HTTP_REQUEST_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  HTTP_HEADERS_TIMEOUT_MS: int(10_000, 100, 3_600_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(75_000, 100, 3_600_000),
  /** Socket inactivity (nothing sent or received) before it is closed; 0 = never. */
  HTTP_CONNECTION_TIMEOUT_MS: int(120_000, 0, 3_600_000),
  /** How long a /health/detailed result is reused (PostgreSQL, Redis, Nango, Kong are asked at most this often). */
  HEALTH_DETAILED_CACHE_MS: int(5_000, 0, 600_000),
  // Outbound HTTP (connectors). Per-connector base URLs are any <NAME>_BASE_URL variable, read in load-config.
  OUTBOUND_ALLOW_HOSTS: csv,
  OUTBOUND_TIMEOUT_MS: int(10_000, 1, 600_000),
  OUTBOUND_CONNECT_TIMEOUT_MS: int(5_000, 1, 600_000),
  OUTBOUND_MAX_RESPONSE_BYTES: int(5 * 1024 * 1024, 1024),
  CONNECTOR_STEP_TIMEOUT_MS: int(30_000, 1, 3_600_000),
  // Google service-account keys are exchanged for tokens here only (never at a key's own token_uri).
  GOOGLE_TOKEN_URL: z
    .string()
    .default('https://oauth2.googleapis.com/token')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v.trim()), 'must be an http(s) URL, e.g. https://oauth2.googleapis.com/token'),
  // Marketplace. Nango routes answer 503 naming whichever of these is missing.
  NANGO_HOST: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined))
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL, e.g. https://api.nango.dev'),
  NANGO_SECRET_KEY: optionalString,
  NANGO_WEBHOOK_SECRET: optionalString,
  NANGO_TIMEOUT_MS: int(15_000, 100, 300_000),
  OAUTH_REDIRECT_URL: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined))
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL'),
  TOKEN_REFRESH_WINDOW_MINUTES: int(90, 1, 7 * 24 * 60),
  TOKEN_REFRESH_CONCURRENCY: int(10, 1, 500),
  SYNC_RUN_RETENTION_DAYS: int(30, 1, 3650),
  CACHE_DEFAULT_TTL: int(300, 1, 86_400),
  RATE_LIMIT_REQUESTS: int(100, 1),
  /** Install the hourly sweep and daily cleanup schedulers (default on; off under NODE_ENV=test). */
  TOKEN_REFRESH_SCHEDULE: bool.optional(),
  /** Unset: on, except under NODE_ENV=production (load-config). */
  SWAGGER_ENABLED: bool.optional(),
  // The console (web/, built by `npm run build`) served at `/`; CONSOLE_DIR overrides where its build is.
  CONSOLE_ENABLED: bool.default(true),
  CONSOLE_DIR: optionalString,
  // Where Nango's Connect UI is served: the one origin the console's content security policy lets it frame.
  NANGO_CONNECT_URL: z
    .string()
    .default('https://connect.nango.dev')
    .refine((v) => /^https?:\/\/[^\s/]+\/?$/.test(v.trim()), 'must be an http(s) origin, e.g. https://connect.nango.dev'),
  RUN_MIGRATIONS: bool.default(true),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0),
  // Workflow executions.
  EXECUTION_CONCURRENCY: int(50, 1, 1000),
  EXECUTION_RETENTION_DAYS: int(30, 1, 3650),
  /** Audit log rows older than this many days are deleted by the daily maintenance job. */
  AUDIT_RETENTION_DAYS: int(365, 1, 3650),
  /** Daily `executions` partitions kept created ahead of today (maintenance job, hourly). */
  EXECUTION_PARTITIONS_AHEAD_DAYS: int(7, 1, 366),
  EXECUTION_MAX_STORED_BYTES: int(64 * 1024, 1024, 16 * 1024 * 1024),
  EXECUTION_LOCK_DURATION_MS: int(30_000, 1000, 3_600_000),
  EXECUTION_STALLED_INTERVAL_MS: int(30_000, 500, 3_600_000),
  EXECUTION_RECONCILE_INTERVAL_SECONDS: int(60, 1, 86_400),
  EXECUTION_STUCK_AFTER_SECONDS: int(300, 1, 7 * 86_400),
  // A first attempt writes its `running` row only once it has run this long (0: at start).
  EXECUTION_RUNNING_ROW_AFTER_MS: int(250, 0, 3_600_000),
  SCHEDULE_RECONCILE: bool.optional(),
  // Job schedulers are re-checked after every Redis reconnect and this often (0: only on reconnect).
  SCHEDULER_CHECK_INTERVAL_SECONDS: int(300, 0, 86_400),
  // Queue names (comma-separated) a worker host takes jobs from; empty: every queue.
  WORKER_QUEUES: csv.transform((names, ctx) => {
    const { keys, unknown } = parseWorkerQueues(names);
    if (!unknown.length) return keys;
    ctx.addIssue({ code: 'custom', message: unknownWorkerQueuesMessage(unknown) });
    return z.NEVER;
  }),
  WEBHOOK_RATE_LIMIT: int(6000, 1),
  WEBHOOK_RATE_LIMIT_WINDOW_SECONDS: int(60, 1, 86_400),
  WORKFLOW_CACHE_TTL_MS: int(2000, 0, 600_000),
  ENQUEUE_TIMEOUT_MS: int(2000, 50, 60_000),
  // Render budget: JSON bytes a step's rendered params may reach, and a run's inputs and outputs together.
  RENDER_MAX_STEP_BYTES: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  RENDER_MAX_RUN_BYTES: int(8 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  WORKFLOW_MAX_STEPS: int(50, 1, 200),
  // Kong. An empty KONG_ADMIN_URL turns the Kong integration off (its routes answer 503).
  KONG_ADMIN_URL: z
    .string()
    .default('http://localhost:8001')
    .refine((v) => v.trim() === '' || /^https?:\/\/[^\s]+$/.test(v.trim()), 'must be an http(s) URL, or empty to turn Kong off'),
  KONG_MODE: z.enum(['db', 'dbless']).default('db'),
  KONG_ADMIN_TOKEN: optionalString,
  KONG_ADMIN_TIMEOUT_MS: int(5000, 100, 120_000),
  KONG_ADMIN_RETRIES: int(2, 0, 10),
  KONG_USAGE_SECRET: optionalString,
  FLOWGATE_PUBLIC_URL_FOR_KONG: z.string().url().default('http://flowgate:3000'),
  KONG_RATE_LIMIT_REDIS_HOST: optionalString,
  KONG_RATE_LIMIT_REDIS_PORT: port(6379),
  KONG_RATE_LIMIT_REDIS_DATABASE: int(0, 0, 1000),
  KONG_RATE_LIMIT_REDIS_PASSWORD: optionalString,
  KONG_DBLESS_RECONCILE_SECONDS: int(30, 0, 86_400),
  // DB-less: the operator's declarative file merged into every POST /config ("" = none).
  KONG_DBLESS_BASE_CONFIG: z.string().default('kong/kong.yml'),
  // Team invitations: the public address links point at, how long a link works, and mail (off unless SMTP is set).
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined))
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL, e.g. https://flowgate.example.com'),
  INVITATION_TTL_HOURS: int(72, 1, 24 * 365),
  // smtp://user:pass@host:587 or smtps://…:465; or the SMTP_HOST group below (load-config builds one from either).
  SMTP_URL: optionalString,
  SMTP_HOST: optionalString,
  SMTP_PORT: int(0, 1, 65535), // 0: unset (587, or 465 with SMTP_SECURE)
  SMTP_USER: optionalString,
  SMTP_PASSWORD: optionalString,
  SMTP_SECURE: bool.optional(),
  SMTP_FROM: optionalString,
  SMTP_TIMEOUT_MS: int(10_000, 100, 120_000),
});

export type RawConfig = z.infer<typeof configSchema>;
