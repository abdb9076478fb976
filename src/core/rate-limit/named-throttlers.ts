import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  DEFAULT_IPV6_SUBNET_PREFIX,
  normalizeIp,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config';
import type { AuthUser } from '../security/auth-user';

/**
 * Flowgate's rate limits beyond the global per-client throttle (rate-limit.module.ts), as named
 * throttlers of @nestjs/throttler sharing its storage (Redis, per process while Redis is away):
 *
 * - `auth-address` and `auth-email`: password guessing on the routes that take a password,
 *   per client address and per target email, whichever runs out first;
 * - `tenant`: marketplace requests per tenant, one budget over every marketplace route.
 *
 * They run in route guards (RateLimitGuard subclasses), not in the global guard: the tenant
 * budget needs the caller the JWT guard identifies, and a password route's budget is spent
 * only by requests that reached it (authenticated and allowed where the route requires it).
 * A blocked request is 429 with Retry-After (seconds until the block ends), the shared error
 * body, and no X-RateLimit-* headers.
 */
export const AUTH_BY_ADDRESS = 'auth-address';
export const AUTH_BY_EMAIL = 'auth-email';
export const TENANT = 'tenant';

interface RoutedRequest {
  ip: string;
  body?: { email?: unknown };
  routeOptions?: { url?: string };
  user?: AuthUser;
}

const request = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<RoutedRequest>();

/** One budget per route template (`/api/auth/login` and `/api/auth/register` count apart). */
const perRoute = (ctx: ExecutionContext, tracker: string, name: string) => `${name}:${request(ctx).routeOptions?.url ?? 'auth'}:${tracker}`;

function emailOf(req: RoutedRequest): string | undefined {
  const email = req.body?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : undefined;
}

export function authThrottlers(limits: AppConfig['http']['authRateLimit']): ThrottlerOptions[] {
  const ttl = limits.ttlSeconds * 1000;
  return [
    {
      name: AUTH_BY_ADDRESS,
      ttl,
      limit: limits.ipLimit,
      // req.ip is the client as TRUST_PROXY allows Fastify to see it; like the global throttle,
      // an IPv6 client is its /64 (one host has many addresses there), an IPv4-mapped one its IPv4.
      getTracker: (req) => normalizeIp((req as RoutedRequest).ip, DEFAULT_IPV6_SUBNET_PREFIX),
      generateKey: perRoute,
    },
    {
      name: AUTH_BY_EMAIL,
      ttl,
      limit: limits.limit,
      skipIf: (ctx) => emailOf(request(ctx)) === undefined,
      getTracker: (req) => emailOf(req as RoutedRequest) ?? '',
      generateKey: perRoute,
    },
  ];
}

export function tenantThrottlers(limitPerMinute: number): ThrottlerOptions[] {
  return [
    {
      name: TENANT,
      ttl: 60_000,
      limit: limitPerMinute,
      // Public routes (the OAuth callback) carry no tenant until their state is checked.
      skipIf: (ctx) => !request(ctx).user,
      getTracker: (req) => (req as RoutedRequest).user?.tenantId ?? '',
      generateKey: (_ctx, tracker, name) => `${name}:${tracker}`,
    },
  ];
}

/**
 * A route guard running some named throttlers on the global throttle's storage and answering a
 * block with the error its subclass builds (message, code) and Retry-After.
 */
export abstract class RateLimitGuard extends ThrottlerGuard {
  constructor(throttlers: ThrottlerOptions[], storage: ThrottlerStorage, reflector: Reflector) {
    super({ throttlers, setHeaders: false }, storage, reflector);
  }

  /** The error for a blocked request; `retryAfterSeconds` is how long the block still lasts. */
  protected abstract blocked(retryAfterSeconds: number): Error;

  protected override async throwThrottlingException(_ctx: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw this.blocked(detail.timeToBlockExpire);
  }
}
