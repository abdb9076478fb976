import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { RedisClient } from '../redis/redis-client.factory';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';
import { FaultTolerantThrottlerStorage } from './fault-tolerant-throttler.storage';

/**
 * The global per-client throttle (`default`, RATE_LIMIT_LIMIT per RATE_LIMIT_TTL_SECONDS) and
 * the storage every named throttler shares (named-throttlers.ts: the password and per-tenant
 * budgets run in their route guards).
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: RedisClient) => ({
        throttlers: [{ name: 'default', ttl: config.http.rateLimit.ttlSeconds * 1000, limit: config.http.rateLimit.limit }],
        storage: new FaultTolerantThrottlerStorage(redis),
        // Orchestrators' probes must never be throttled. /metrics and /health/detailed are: they
        // take the admin token, which must not be guessable at full speed (a scrape is a few a minute).
        skipIf: (ctx) => /^\/health(\/(live|ready))?(\?|$)/.test(ctx.switchToHttp().getRequest().url ?? ''),
      }),
    }),
  ],
})
export class RateLimitModule {}
