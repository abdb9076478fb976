import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from './core/config/app-config';
import { ConfigModule } from './core/config/config.module';
import { DatabaseModule } from './core/database/database.module';
import { HealthModule } from './core/health/health.module';
import { LoggingModule } from './core/logging/logging.module';
import { MetricsModule } from './core/metrics/metrics.module';
import { QueueModule } from './core/queue/queue.module';
import { RateLimitModule } from './core/rate-limit/rate-limit.module';
import { RedisModule } from './core/redis/redis.module';
import { JwtAuthGuard } from './core/security/jwt-auth.guard';
import { SecurityModule } from './core/security/security.module';
import { AdminModule } from './modules/admin/admin.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { TenantsModule } from './modules/tenants/tenants.module';
import { KongModule } from './modules/kong/kong.module';
import { CacheModule } from './core/cache/cache.module';
import { NangoModule } from './modules/nango/nango.module';
import { CompaniesModule } from './modules/companies/companies.module';
import { TokenRefreshModule } from './modules/token-refresh/token-refresh.module';
import { NangoCredentialsModule } from './modules/nango-credentials/nango-credentials.module';
import { OutboundHttpModule } from './core/http/outbound-http.module';
import { ConnectorsModule } from './modules/connectors/connectors.module';
import { WorkflowIoModule } from './modules/workflow-io/workflow-io.module';
import { WorkflowsModule } from './modules/workflows/workflows.module';
import { ExecutionsModule } from './modules/executions/executions.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { TriggersModule } from './modules/triggers/triggers.module';
import { GoogleCredentialsModule } from './modules/google-credentials/google-credentials.module';
import { InvitationsModule } from './modules/invitations/invitations.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';

export interface AppModuleOptions {
  /** Where log lines go; tests capture them to prove secrets never appear. */
  logDestination?: DestinationStream;
}

/** Composes core plumbing and feature modules; the config is parsed before this is built. */
@Module({})
export class AppModule {
  static register(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logDestination),
        // In-process timers (@Interval / SchedulerRegistry); cross-replica schedules are BullMQ job schedulers.
        ScheduleModule.forRoot(),
        DatabaseModule,
        RedisModule,
        QueueModule,
        SecurityModule,
        RateLimitModule,
        HealthModule,
        MetricsModule,
        AuditModule,
        AuthModule,
        TenantsModule,
        AdminModule,
        KongModule,
        CacheModule,
        NangoModule,
        CompaniesModule,
        TokenRefreshModule,
        NangoCredentialsModule,
        OutboundHttpModule,
        ConnectorsModule,
        WorkflowsModule,
        ExecutionsModule,
        WebhooksModule,
        TriggersModule,
        WorkflowIoModule,
        GoogleCredentialsModule,
        InvitationsModule,
        DashboardModule,
      ],
      // Order matters: shed floods before spending a database lookup on their tokens.
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
