import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { CompaniesController } from './companies.controller';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';
import { CompanyConnectService } from './company-connect.service';
import { CompanyEntity } from './entities/company.entity';
import { SyncRunEntity } from './entities/sync-run.entity';
import { ContactEntity, LocationEntity, ProductEntity } from './entities/synced-records.entity';
import { NangoWebhookController } from './nango-webhook.controller';
import { NangoWebhookService } from './nango-webhook.service';
import { OAuthController } from './oauth.controller';
import { CompanySyncProcessor } from './sync/company-sync.processor';
import { SyncRunsRepository } from './sync-runs.repository';
import { SyncedRecordsRepository } from './synced-records.repository';
import { TenantRateLimitGuard } from './tenant-rate-limit.guard';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/**
 * Marketplace companies: the OAuth and Nango-webhook endpoints that create them, their
 * tenant-scoped API, and the sync worker. Uses the Nango client (NangoModule, global).
 */
@Module({
  imports: [TypeOrmModule.forFeature([CompanyEntity, LocationEntity, ContactEntity, ProductEntity, SyncRunEntity]), AuditModule],
  controllers: [OAuthController, CompaniesController, NangoWebhookController],
  providers: [
    CompaniesRepository,
    SyncedRecordsRepository,
    SyncRunsRepository,
    WebhookDeliveriesRepository,
    CompaniesService,
    CompanyConnectService,
    NangoWebhookService,
    TenantRateLimitGuard,
    CompanySyncProcessor,
  ],
  exports: [CompaniesRepository, CompaniesService, SyncRunsRepository, WebhookDeliveriesRepository],
})
export class CompaniesModule {}
