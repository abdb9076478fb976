import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { RateLimitGuard, tenantThrottlers } from '../../core/rate-limit/named-throttlers';

/**
 * RATE_LIMIT_REQUESTS marketplace requests per tenant per minute (the `tenant` throttler),
 * counted in Redis so every replica shares the budget (per-process counters while Redis is away).
 */
@Injectable()
export class TenantRateLimitGuard extends RateLimitGuard {
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(ThrottlerStorage) storage: ThrottlerStorage, reflector: Reflector) {
    super(tenantThrottlers(config.marketplace.rateLimitRequests), storage, reflector);
    this.limit = config.marketplace.rateLimitRequests;
  }

  protected blocked(retryAfterSeconds: number): Error {
    return AppException.tooManyRequests(
      `Rate limit of ${this.limit} requests per minute for this tenant reached`,
      retryAfterSeconds,
      'TENANT_RATE_LIMITED',
    );
  }
}
