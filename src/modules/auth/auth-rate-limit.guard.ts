import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { DEFAULT_IPV6_SUBNET_PREFIX, normalizeIp } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { RateLimiterService } from '../../core/rate-limit/rate-limiter.service';

/**
 * Slows password guessing: a budget per client address and per target email, whichever
 * runs out first. The answer is 429 with Retry-After.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiterService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<{ ip: string; body?: { email?: unknown }; routeOptions?: { url?: string } }>();
    const { limit, ipLimit, ttlSeconds } = this.config.http.authRateLimit;
    const route = req.routeOptions?.url ?? 'auth';
    // req.ip is the client as TRUST_PROXY allows Fastify to see it; like the global throttle,
    // an IPv6 client is its /64 (one host has many addresses there), an IPv4-mapped one its IPv4.
    const client = normalizeIp(req.ip, DEFAULT_IPV6_SUBNET_PREFIX);
    const budgets: Array<[string, number]> = [[`auth:${route}:ip:${client}`, ipLimit]];
    if (typeof req.body?.email === 'string')
      budgets.push([`auth:${route}:email:${req.body.email.trim().toLowerCase().slice(0, 254)}`, limit]);
    for (const [key, max] of budgets) {
      const r = await this.limiter.hit(key, max, ttlSeconds);
      if (!r.allowed) throw AppException.tooManyRequests('Too many attempts, try again later', r.retryAfterSeconds);
    }
    return true;
  }
}
