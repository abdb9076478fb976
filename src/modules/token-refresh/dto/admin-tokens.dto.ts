import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../companies/dto/pagination.dto';
import { COMPANY_STATUSES, CompanyEntity, CompanyStatus } from '../../companies/entities/company.entity';

export class AdminTokensQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COMPANY_STATUSES })
  @IsOptional()
  @IsIn(COMPANY_STATUSES)
  status?: CompanyStatus;
}

/** A connection's health as operators see it. There is no token field: Flowgate keeps none. */
export class AdminTokenDto {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() connectionId: string;
  @ApiProperty() providerConfigKey: string;
  @ApiProperty() provider: string;
  @ApiProperty({ type: String, nullable: true }) businessName: string | null;
  @ApiProperty({ enum: COMPANY_STATUSES }) status: CompanyStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) tokenExpiresAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastRefreshAt: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['succeeded', 'failed'] }) lastRefreshStatus: string | null;
  @ApiProperty({ type: String, nullable: true }) lastRefreshError: string | null;
  @ApiProperty({ description: 'Failed refreshes since the last success' }) refreshFailures: number;

  static from(c: CompanyEntity): AdminTokenDto {
    return {
      companyId: c.id,
      tenantId: c.tenantId,
      connectionId: c.connectionId,
      providerConfigKey: c.providerConfigKey,
      provider: c.provider,
      businessName: c.businessName,
      status: c.status,
      tokenExpiresAt: c.tokenExpiresAt?.toISOString() ?? null,
      lastRefreshAt: c.lastRefreshAt?.toISOString() ?? null,
      lastRefreshStatus: c.lastRefreshStatus,
      lastRefreshError: c.lastRefreshError,
      refreshFailures: c.refreshFailures,
    };
  }
}

export class AdminTokenPageDto {
  @ApiProperty({ type: [AdminTokenDto] }) items: AdminTokenDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}

export class RefreshAllAcceptedDto {
  @ApiProperty({ description: 'Active companies considered' }) companies: number;
  @ApiProperty({ description: 'Forced refresh jobs enqueued by this call (one per active company, on every call)' }) enqueued: number;
  @ApiProperty({ format: 'uuid', description: "This call's sweep: its jobs are `refresh:<companyId>:manual-<sweepId>`" }) sweepId: string;
}
