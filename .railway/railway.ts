/**
 * Flowgate on Railway, as Infrastructure as Code (replaces railway.toml, which Railway stops
 * reading on 2026-12-01): PostgreSQL, Redis, the API (ROLE=api) and a worker (ROLE=worker)
 * built from this repository's Dockerfile.
 *
 *   railway login && railway link      # the project and environment to manage
 *   railway config plan                # preview; changes nothing
 *   railway config apply               # create or update, after confirmation
 *
 * The Railway CLI (5.42.1 or newer) evaluates this file with the `railway` npm package (a
 * devDependency). `npm run typecheck` checks it against that package's types
 * (tsconfig.railway.json) and test/deploy-files.e2e-spec.ts checks what it describes.
 * Keep to type annotations only (no enums or namespaces): the CLI runs it with Node's type
 * stripping. README "Deploying → Railway" walks through the whole set-up.
 */
import {
  type BuildConfig,
  type DeployConfig,
  defineRailway,
  postgres,
  preserve,
  project,
  redis,
  service,
  type VariableValue,
} from 'railway/iac';

/**
 * Seconds between SIGTERM and SIGKILL when a deployment is replaced or stopped. Railway's
 * default is 0, which kills Flowgate before it releases its jobs: a stopping process lets
 * running jobs finish for SHUTDOWN_TIMEOUT_MS (10 s by default), then takes up to 15 s more to
 * close its connections (src/main.ts). Raise this with SHUTDOWN_TIMEOUT_MS.
 */
const DRAINING_SECONDS = 30;

/** package.json's start:prod, with its node flags (bounded heap on Node 24; README). */
const START_COMMAND = 'node --max-semi-space-size=16 --max-old-space-size=1536 dist/src/main.js';

const API_PORT = '3000';
const WORKER_PORT = '3001';

/**
 * A variable of the environment's shared variables, which the operator sets once for both
 * services (`${{shared.NAME}}`). Built here rather than through `ctx.shared`: the CLI
 * currently calls this program with an empty context.
 */
const shared = (name: string): VariableValue => ({ type: 'sharedReference', name });

export default defineRailway(() => {
  const db = postgres('Postgres');
  const cache = redis('Redis');

  const build: BuildConfig = { builder: 'DOCKERFILE', dockerfilePath: 'Dockerfile' };
  const deploy: DeployConfig = {
    restartPolicyType: 'ON_FAILURE',
    restartPolicyMaxRetries: 10,
    drainingSeconds: DRAINING_SECONDS,
  };

  // What both services need. preserve(): the operator sets the value (dashboard or
  // `railway variables`), and applying this file neither overwrites nor deletes it.
  const common = {
    NODE_ENV: 'production',
    // Railway's private network may be IPv6 only: listen on both families.
    HOST: '::',
    DATABASE_URL: db.env.DATABASE_URL,
    // ioredis resolves IPv4 only unless told `family=0`; Flowgate keeps URL options.
    REDIS_URL: `\${{${cache.name}.REDIS_URL}}?family=0`,
    // Both services must hold the same two secrets: one shared variable each.
    JWT_SECRET: shared('JWT_SECRET'),
    ENCRYPTION_KEY: shared('ENCRYPTION_KEY'),
    ENCRYPTION_OLD_KEYS: preserve(),
    LOG_LEVEL: preserve(),
    SHUTDOWN_TIMEOUT_MS: preserve(),
    OUTBOUND_ALLOW_HOSTS: preserve(),
    NANGO_HOST: preserve(),
    NANGO_SECRET_KEY: preserve(),
    // /metrics (and /health/detailed on the api) answer only with X-Admin-Token.
    ADMIN_TOKEN: preserve(),
  };

  const api = service('api', {
    build,
    start: START_COMMAND,
    // Railway asks this on PORT until it answers 200, then sends traffic to the new deployment.
    healthcheck: '/health/ready',
    healthcheckTimeout: 60,
    replicas: 1,
    // overlapSeconds: the previous deployment keeps serving while traffic moves over.
    deploy: { ...deploy, overlapSeconds: 10 },
    env: {
      ...common,
      ROLE: 'api',
      PORT: API_PORT,
      // Railway's edge proxy is the one hop in front (it adds X-Forwarded-For); the service is
      // reachable from outside only through it. Per-client limits then key on the real client.
      TRUST_PROXY: '1',
      CORS_ORIGINS: preserve(),
      NANGO_WEBHOOK_SECRET: preserve(),
      OAUTH_REDIRECT_URL: preserve(),
      // No Kong in this project: set KONG_ADMIN_URL to your Kong's Admin API, or empty to
      // turn the Kong routes off (they answer 503).
      KONG_ADMIN_URL: preserve(),
      KONG_MODE: preserve(),
      KONG_ADMIN_TOKEN: preserve(),
      KONG_USAGE_SECRET: preserve(),
      FLOWGATE_PUBLIC_URL_FOR_KONG: preserve(),
    },
  });

  const worker = service('worker', {
    build,
    start: START_COMMAND,
    // A worker serves no API: its probes answer on WORKER_PORT. Railway checks health on PORT,
    // so PORT names the same port (Flowgate reads PORT only in the api role).
    healthcheck: '/health/ready',
    healthcheckTimeout: 60,
    replicas: 1,
    deploy,
    env: {
      ...common,
      ROLE: 'worker',
      WORKER_PORT,
      PORT: WORKER_PORT,
    },
  });

  return project('flowgate', { resources: [db, cache, api, worker] });
});
