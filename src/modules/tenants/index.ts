/** The tenants module's public surface: other modules import from here, never from its files. */
export { MemberDto, TenantDto } from './dto/tenant.dto';
export { TenantEntity } from './entities/tenant.entity';
export { TenantsModule } from './tenants.module';
export { TenantsRepository } from './tenants.repository';
