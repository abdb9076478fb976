import { z } from 'zod';
import { ErrorDetail } from '../../../core/errors/app-exception';
import { definePattern, KONG_PATH, OptionsContext } from './kong-pattern';

export const RATE_LIMIT_PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

const limit = z.number().int().min(1).max(1_000_000_000).optional();
const options = z.strictObject({
  second: limit,
  minute: limit,
  hour: limit,
  day: limit,
  month: limit,
  year: limit,
  policy: z.enum(['local', 'cluster', 'redis']).optional(),
  limit_by: z.enum(['ip', 'consumer', 'credential', 'service', 'header', 'path']).default('ip'),
  /** Required with limit_by "header": the request header whose value Kong counts by. */
  header_name: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,100}$/)
    .optional(),
  /** Required with limit_by "path": the request path Kong counts together (exact match). */
  path: z.string().max(1024).regex(KONG_PATH).optional(),
  fault_tolerant: z.boolean().default(true),
  hide_client_headers: z.boolean().default(false),
});
export type WebhookHandlerOptions = z.output<typeof options>;

/** A rate-limited route in front of the workflow's webhook. */
export const webhookHandler = definePattern({
  name: 'webhook_handler',
  routeSuffix: 'webhook',
  options,
  upstream: { webhook: true },
  frontsWebhook: true,
  complete: (o, ctx) => {
    const problems = [...limitProblems(o), ...policyProblems(o, ctx), ...limitByProblems(o, ctx.routePath)];
    return { options: o, problems };
  },
  plan: (o, kit) => {
    const rl: Record<string, unknown> = {
      policy: o.policy,
      limit_by: o.limit_by,
      fault_tolerant: o.fault_tolerant,
      hide_client_headers: o.hide_client_headers,
    };
    for (const p of RATE_LIMIT_PERIODS) if (typeof o[p] === 'number') rl[p] = o[p];
    if (o.header_name) rl.header_name = o.header_name;
    if (o.path) rl.path = o.path;
    const r = kit.config.kong.rateLimitRedis;
    if (o.policy === 'redis' && r) {
      rl.redis = { host: r.host, port: r.port, database: r.database, ...(r.password ? { password: kit.secret(r.password) } : {}) };
    }
    return kit.plan([kit.service([kit.route(['POST'], [kit.plugin('rate-limiting', rl), ...kit.webhookGate()])])]);
  },
});

/** 100 a second when no period is given; a longer period may not allow fewer requests than a shorter one. */
function limitProblems(o: WebhookHandlerOptions): ErrorDetail[] {
  const given = RATE_LIMIT_PERIODS.filter((p) => typeof o[p] === 'number');
  if (!given.length) o.second = 100;
  const problems: ErrorDetail[] = [];
  for (let i = 1; i < given.length; i++) {
    const [shorter, longer] = [given[i - 1], given[i]];
    const [s, l] = [o[shorter] ?? 0, o[longer] ?? 0];
    if (l < s) {
      problems.push({
        field: `options.${longer}`,
        message: `options.${longer} (${String(l)}) may not be lower than options.${shorter} (${String(s)})`,
      });
    }
  }
  return problems;
}

/** The default policy follows the configuration; "redis" needs Kong's Redis settings, "cluster" Kong's database. */
function policyProblems(o: WebhookHandlerOptions, ctx: OptionsContext): ErrorDetail[] {
  const { rateLimitRedis, mode } = ctx.config.kong;
  o.policy ??= rateLimitRedis ? 'redis' : 'local';
  if (o.policy === 'redis' && !rateLimitRedis)
    return [{ field: 'options.policy', message: 'options.policy "redis" needs KONG_RATE_LIMIT_REDIS_HOST to be configured' }];
  if (o.policy === 'cluster' && mode === 'dbless') {
    return [
      { field: 'options.policy', message: 'options.policy "cluster" needs Kong with a database; use "local" or "redis" in DB-less mode' },
    ];
  }
  return [];
}

/**
 * Kong's rate-limiting requires `header_name` with `limit_by: header` and `path` with
 * `limit_by: path` (its schema's conditional checks), and ignores them otherwise; Flowgate
 * refuses them where they would be ignored, like the oauth2-only options. Kong compares
 * `path` with the request path exactly, so a path outside this deployment's route could never
 * match and every request would silently be counted by client address.
 */
function limitByProblems(o: WebhookHandlerOptions, route: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const needs = [
    ['header', 'header_name'],
    ['path', 'path'],
  ] as const;
  for (const [limitBy, field] of needs) {
    if (o.limit_by === limitBy && o[field] === undefined) {
      problems.push({ field: `options.${field}`, message: `options.${field} is required when options.limit_by is "${limitBy}"` });
    }
    if (o.limit_by !== limitBy && o[field] !== undefined) {
      problems.push({ field: `options.${field}`, message: `options.${field} applies only when options.limit_by is "${limitBy}"` });
    }
  }
  if (o.limit_by === 'path' && o.path !== undefined && o.path !== route && !o.path.startsWith(`${route}/`)) {
    problems.push({
      field: 'options.path',
      message: `options.path must be this deployment's route path ${route} (or a path below it): Kong counts by path only for requests to exactly that path`,
    });
  }
  return problems;
}
