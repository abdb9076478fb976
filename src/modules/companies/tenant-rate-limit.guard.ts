import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { RateLimiterService } from '../../core/rate-limit/rate-limiter.service';
import { AuthUser } from '../../core/security/auth-user';

/**
 * RATE_LIMIT_REQUESTS marketplace requests per tenant per minute, counted in Redis so every
 * replica shares the budget (per-process counters while Redis is away).
 */
@Injectable()
export class TenantRateLimitGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiterService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) return true; // public routes (the OAuth callback) carry no tenant until their state is checked
    const limit = this.config.marketplace.rateLimitRequests;
    const r = await this.limiter.hit(`marketplace:${user.tenantId}`, limit, 60);
    if (!r.allowed)
      throw AppException.tooManyRequests(
        `Rate limit of ${limit} requests per minute for this tenant reached`,
        r.retryAfterSeconds,
        'TENANT_RATE_LIMITED',
      );
    return true;
  }
}
