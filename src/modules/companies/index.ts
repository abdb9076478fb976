/** The companies module's public surface: other modules import from here, never from its files. */
export { CompaniesModule } from './companies.module';
export { CompaniesRepository } from './companies.repository';
export { CompaniesService } from './companies.service';
export { PageQueryDto, offsetOf } from './dto/pagination.dto';
export { COMPANY_STATUSES, CompanyEntity, REFRESH_STATUSES } from './entities/company.entity';
export type { CompanyStatus, RefreshStatus } from './entities/company.entity';
export { SyncRunsRepository } from './sync-runs.repository';
export { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
