import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppConfig, SmtpSettings } from './app-config';
import { configSchema, RawConfig } from './config.schema';
import { AllowListError, parseAllowList } from '../http/allow-list';
import { defaultLogFormat } from '../logging/logger';
import { parseTrustProxy, TrustProxy } from '../http-server/trust-proxy';
import { effectiveQueuePrefix, redisTopologyFrom } from '../redis/redis-topology';
import { redisOptionsFromUrl } from '../redis/redis-url';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const SECRETS = ['JWT_SECRET', 'ENCRYPTION_KEY'] as const;

/** Parses a 32-byte key given as 64 hex characters or base64. */
export function parseKey(name: string, value: string): Buffer {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  const b = Buffer.from(v, 'base64');
  if (b.length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(v)) return b;
  throw new ConfigError([`${name}: must be 32 bytes as 64 hex characters or base64 (e.g. \`openssl rand -hex 32\`)`]);
}

/**
 * Development secrets are generated once and kept in a git-ignored file, so credentials
 * encrypted yesterday still decrypt today. Tests get fresh ones in memory.
 */
function devSecrets(env: RawConfig['NODE_ENV'], cwd: string): Record<(typeof SECRETS)[number], string> {
  const fresh = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };
  if (env === 'test') return fresh;
  const file = join(cwd, '.flowgate', 'dev-secrets.json');
  try {
    if (existsSync(file)) return { ...fresh, ...JSON.parse(readFileSync(file, 'utf8')) };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  } catch {
    // read-only filesystem: fall back to per-process secrets (warned about below)
  }
  return fresh;
}

/** web/dist at the repository root, from src/ (tests) or dist/src/ (npm start) alike. */
function defaultConsoleDir(): string {
  for (const root of [join(__dirname, '../../..'), join(__dirname, '../../../..')]) {
    if (existsSync(join(root, 'package.json'))) return join(root, 'web', 'dist');
  }
  return join(process.cwd(), 'web', 'dist');
}

function readVersion(): string {
  for (const p of [join(__dirname, '../../../package.json'), join(__dirname, '../../../../package.json')]) {
    try {
      return JSON.parse(readFileSync(p, 'utf8')).version as string;
    } catch {
      /* try the next layout (src/ vs dist/src/) */
    }
  }
  return '0.0.0';
}

/**
 * Every `<NAME>_BASE_URL` variable (e.g. OPENWEATHER_BASE_URL) points a connector at another
 * base URL (tests: a local fake). Collected generically so a new connector needs no config edit;
 * each connector names its variable in `descriptor.baseUrlSetting`.
 */
function connectorBaseUrls(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!/^[A-Z0-9_]+_BASE_URL$/.test(name) || value === undefined || value.trim() === '') continue;
    const v = value.trim();
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      ok = false;
    }
    if (ok) urls[name] = v.replace(/\/+$/, '');
    else problems.push(`${name}: must be an http(s) URL`);
  }
  return urls;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const raw = parsed.data;
  const isProduction = raw.NODE_ENV === 'production';
  const warnings: string[] = [];

  const missing = SECRETS.filter((k) => !raw[k]);
  if (missing.length && isProduction) {
    throw new ConfigError(missing.map((k) => `${k}: required in production`));
  }
  if (missing.length) {
    const generated = devSecrets(raw.NODE_ENV, cwd);
    for (const k of missing) raw[k] = generated[k];
    if (raw.NODE_ENV !== 'test') warnings.push(`${missing.join(', ')} not set: using generated development values`);
  }
  if (raw.DEV_MODE && isProduction) warnings.push('DEV_MODE is ignored in production');
  if (raw.ROLE === 'api' && env.WORKER_QUEUES?.trim())
    warnings.push('WORKER_QUEUES is ignored with ROLE=api (an API-only process takes no jobs)');
  if (isProduction && raw.JWT_SECRET!.length < 32) throw new ConfigError(['JWT_SECRET: use at least 32 characters']);

  const problems: string[] = [];
  let current: Buffer | undefined;
  const old: Buffer[] = [];
  try {
    current = parseKey('ENCRYPTION_KEY', raw.ENCRYPTION_KEY!);
  } catch (e) {
    problems.push(...(e as ConfigError).problems);
  }
  raw.ENCRYPTION_OLD_KEYS.forEach((k, i) => {
    try {
      old.push(parseKey(`ENCRYPTION_OLD_KEYS[${i}]`, k));
    } catch (e) {
      problems.push(...(e as ConfigError).problems);
    }
  });
  try {
    parseAllowList(raw.OUTBOUND_ALLOW_HOSTS);
  } catch (e) {
    problems.push((e as AllowListError).message);
  }
  let trustProxy: TrustProxy = false;
  try {
    trustProxy = parseTrustProxy(raw.TRUST_PROXY);
  } catch (e) {
    problems.push(`TRUST_PROXY: ${(e as Error).message}`);
  }
  // Node refuses a headers timeout longer than the request timeout it is part of.
  if (raw.HTTP_HEADERS_TIMEOUT_MS > raw.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push(
      `HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (${raw.HTTP_REQUEST_TIMEOUT_MS}), got ${raw.HTTP_HEADERS_TIMEOUT_MS}`,
    );
  }
  const baseUrls = connectorBaseUrls(env, problems);
  const smtp = smtpSettings(raw, problems);
  // Redis Cluster / Sentinel (docs/scaling-out.md); REDIS_URL was checked by the schema.
  const redisTopology = redisTopologyFrom(raw, redisOptionsFromUrl(raw.REDIS_URL).db ?? 0);
  problems.push(...redisTopology.problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    env: raw.NODE_ENV,
    isProduction,
    role: raw.ROLE,
    port: raw.PORT,
    host: raw.HOST,
    workerPort: raw.WORKER_PORT,
    logLevel: raw.LOG_LEVEL,
    logFormat: raw.LOG_FORMAT ?? defaultLogFormat(raw.NODE_ENV),
    version: readVersion(),
    database: {
      url: raw.DATABASE_URL,
      poolSize: raw.DATABASE_POOL_SIZE,
      runMigrations: raw.RUN_MIGRATIONS,
      create: raw.DATABASE_CREATE ?? !isProduction,
      connectTimeoutSeconds: raw.DATABASE_CONNECT_TIMEOUT_SECONDS,
    },
    redis: { url: raw.REDIS_URL, topology: redisTopology.topology },
    readDatabase: { url: raw.DATABASE_READ_URL?.trim() || undefined },
    queue: {
      // Hash-tagged on a Redis Cluster: `{<QUEUE_PREFIX>}` (redis-topology.ts).
      prefix: effectiveQueuePrefix(raw.QUEUE_PREFIX, redisTopology.topology),
      schedulerCheckIntervalSeconds: raw.SCHEDULER_CHECK_INTERVAL_SECONDS,
      workerQueues: raw.WORKER_QUEUES,
    },
    auth: { jwtSecret: raw.JWT_SECRET!, jwtExpiresIn: raw.JWT_EXPIRES_IN, devMode: raw.DEV_MODE && !isProduction },
    crypto: { current: current!, old },
    admin: { token: raw.ADMIN_TOKEN },
    http: {
      corsOrigins: raw.CORS_ORIGINS,
      bodyLimit: raw.BODY_LIMIT_BYTES,
      rateLimit: { ttlSeconds: raw.RATE_LIMIT_TTL_SECONDS, limit: raw.RATE_LIMIT_LIMIT },
      authRateLimit: {
        ttlSeconds: raw.AUTH_RATE_LIMIT_TTL_SECONDS,
        limit: raw.AUTH_RATE_LIMIT_LIMIT,
        ipLimit: raw.AUTH_RATE_LIMIT_IP_LIMIT,
      },
      trustProxy,
      timeouts: {
        requestMs: raw.HTTP_REQUEST_TIMEOUT_MS,
        headersMs: raw.HTTP_HEADERS_TIMEOUT_MS,
        keepAliveMs: raw.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        connectionMs: raw.HTTP_CONNECTION_TIMEOUT_MS,
      },
    },
    health: { detailedCacheMs: raw.HEALTH_DETAILED_CACHE_MS },
    outbound: {
      allowHosts: raw.OUTBOUND_ALLOW_HOSTS,
      timeoutMs: raw.OUTBOUND_TIMEOUT_MS,
      connectTimeoutMs: raw.OUTBOUND_CONNECT_TIMEOUT_MS,
      maxResponseBytes: raw.OUTBOUND_MAX_RESPONSE_BYTES,
    },
    connectors: { baseUrls, stepTimeoutMs: raw.CONNECTOR_STEP_TIMEOUT_MS, googleTokenUrl: raw.GOOGLE_TOKEN_URL.trim() },
    nango: {
      host: raw.NANGO_HOST?.replace(/\/+$/, ''),
      secretKey: raw.NANGO_SECRET_KEY,
      webhookSecret: raw.NANGO_WEBHOOK_SECRET,
      timeoutMs: raw.NANGO_TIMEOUT_MS,
      oauthRedirectUrl: raw.OAUTH_REDIRECT_URL,
    },
    marketplace: {
      refreshWindowMinutes: raw.TOKEN_REFRESH_WINDOW_MINUTES,
      refreshConcurrency: raw.TOKEN_REFRESH_CONCURRENCY,
      syncRunRetentionDays: raw.SYNC_RUN_RETENTION_DAYS,
      rateLimitRequests: raw.RATE_LIMIT_REQUESTS,
      refreshSchedulesEnabled: raw.TOKEN_REFRESH_SCHEDULE ?? raw.NODE_ENV !== 'test',
    },
    cache: { defaultTtlSeconds: raw.CACHE_DEFAULT_TTL },
    // Swagger UI maps every route for whoever asks: off in production unless asked for.
    swaggerEnabled: raw.SWAGGER_ENABLED ?? !isProduction,
    console: {
      enabled: raw.CONSOLE_ENABLED,
      dir: raw.CONSOLE_DIR?.trim() || defaultConsoleDir(),
      nangoConnectOrigin: new URL(raw.NANGO_CONNECT_URL.trim()).origin,
    },
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    executions: {
      concurrency: raw.EXECUTION_CONCURRENCY,
      retentionDays: raw.EXECUTION_RETENTION_DAYS,
      partitionsAheadDays: raw.EXECUTION_PARTITIONS_AHEAD_DAYS,
      maxStoredBytes: raw.EXECUTION_MAX_STORED_BYTES,
      lockDurationMs: raw.EXECUTION_LOCK_DURATION_MS,
      stalledIntervalMs: raw.EXECUTION_STALLED_INTERVAL_MS,
      reconcileIntervalSeconds: raw.EXECUTION_RECONCILE_INTERVAL_SECONDS,
      stuckAfterSeconds: raw.EXECUTION_STUCK_AFTER_SECONDS,
      runningRowAfterMs: raw.EXECUTION_RUNNING_ROW_AFTER_MS,
      reconcileSchedules: raw.SCHEDULE_RECONCILE ?? raw.NODE_ENV !== 'test',
    },
    workflowLimits: {
      renderMaxStepBytes: raw.RENDER_MAX_STEP_BYTES,
      renderMaxRunBytes: raw.RENDER_MAX_RUN_BYTES,
      maxSteps: raw.WORKFLOW_MAX_STEPS,
    },
    webhooks: {
      rateLimit: { limit: raw.WEBHOOK_RATE_LIMIT, windowSeconds: raw.WEBHOOK_RATE_LIMIT_WINDOW_SECONDS },
      cacheTtlMs: raw.WORKFLOW_CACHE_TTL_MS,
      enqueueTimeoutMs: raw.ENQUEUE_TIMEOUT_MS,
    },
    kong: {
      adminUrl: raw.KONG_ADMIN_URL.trim() ? raw.KONG_ADMIN_URL.trim().replace(/\/+$/, '') : undefined,
      mode: raw.KONG_MODE,
      adminToken: raw.KONG_ADMIN_TOKEN,
      adminTimeoutMs: raw.KONG_ADMIN_TIMEOUT_MS,
      adminRetries: raw.KONG_ADMIN_RETRIES,
      usageSecret: raw.KONG_USAGE_SECRET,
      publicUrlForKong: raw.FLOWGATE_PUBLIC_URL_FOR_KONG.replace(/\/+$/, ''),
      rateLimitRedis: raw.KONG_RATE_LIMIT_REDIS_HOST
        ? {
            host: raw.KONG_RATE_LIMIT_REDIS_HOST,
            port: raw.KONG_RATE_LIMIT_REDIS_PORT,
            database: raw.KONG_RATE_LIMIT_REDIS_DATABASE,
            password: raw.KONG_RATE_LIMIT_REDIS_PASSWORD,
          }
        : undefined,
      dblessReconcileSeconds: raw.KONG_DBLESS_RECONCILE_SECONDS,
      dblessBaseConfig: raw.KONG_DBLESS_BASE_CONFIG.trim() ? resolve(raw.KONG_DBLESS_BASE_CONFIG.trim()) : undefined,
    },
    publicUrl: raw.PUBLIC_URL?.replace(/\/+$/, ''),
    invitations: { ttlHours: raw.INVITATION_TTL_HOURS },
    mail: { smtp, from: raw.SMTP_FROM },
    audit: { retentionDays: raw.AUDIT_RETENTION_DAYS },
    warnings,
  };
}

/**
 * SMTP_URL (smtp:// or smtps://, user and password URL-encoded) or SMTP_HOST with its
 * neighbours; undefined when neither is set (no email is sent). Problems never repeat the URL
 * or the password.
 */
function smtpSettings(raw: RawConfig, problems: string[]): SmtpSettings | undefined {
  const timeoutMs = raw.SMTP_TIMEOUT_MS;
  let smtp: SmtpSettings | undefined;
  if (raw.SMTP_URL && raw.SMTP_HOST) problems.push('SMTP_URL: set SMTP_URL or SMTP_HOST, not both');
  else if (raw.SMTP_URL) {
    let url: URL | undefined;
    try {
      url = new URL(raw.SMTP_URL);
    } catch {
      url = undefined;
    }
    if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
      problems.push('SMTP_URL: must be a URL such as smtp://user:password@mail.example.com:587 or smtps://…:465');
    } else {
      const secure = url.protocol === 'smtps:';
      smtp = {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port ? Number(url.port) : secure ? 465 : 587,
        secure,
        user: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        timeoutMs,
      };
    }
  } else if (raw.SMTP_HOST) {
    const secure = raw.SMTP_SECURE ?? raw.SMTP_PORT === 465;
    smtp = {
      host: raw.SMTP_HOST,
      port: raw.SMTP_PORT || (secure ? 465 : 587),
      secure,
      user: raw.SMTP_USER,
      password: raw.SMTP_PASSWORD,
      timeoutMs,
    };
  }
  if (smtp && !raw.SMTP_FROM) problems.push('SMTP_FROM: required when SMTP is set (the sender of invitation emails)');
  return smtp;
}
