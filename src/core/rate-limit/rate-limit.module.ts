import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';
import { FaultTolerantThrottlerStorage } from './fault-tolerant-throttler.storage';
import { RateLimiterService } from './rate-limiter.service';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [{ name: 'default', ttl: config.http.rateLimit.ttlSeconds * 1000, limit: config.http.rateLimit.limit }],
        storage: new FaultTolerantThrottlerStorage(redis),
        // Probes and metrics scrapes must never be throttled.
        skipIf: (ctx) => /^\/(health|metrics)/.test(ctx.switchToHttp().getRequest().url ?? ''),
      }),
    }),
  ],
  providers: [RateLimiterService],
  exports: [RateLimiterService],
})
export class RateLimitModule {}
