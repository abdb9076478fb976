import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { authThrottlers, RateLimitGuard } from '../../core/rate-limit/named-throttlers';

/**
 * Slows password guessing: a budget per client address and per target email, whichever
 * runs out first (the `auth-address` and `auth-email` throttlers). The answer is 429 with Retry-After.
 */
@Injectable()
export class AuthRateLimitGuard extends RateLimitGuard {
  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(ThrottlerStorage) storage: ThrottlerStorage, reflector: Reflector) {
    super(authThrottlers(config.http.authRateLimit), storage, reflector);
  }

  protected blocked(retryAfterSeconds: number): Error {
    return AppException.tooManyRequests('Too many attempts, try again later', retryAfterSeconds);
  }
}
