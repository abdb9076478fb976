import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { PageQueryDto } from '../../companies';
import { COMPANY_STATUSES, CompanyEntity, CompanyStatus, REFRESH_STATUSES, RefreshStatus } from '../../companies';

export class AdminTokensQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COMPANY_STATUSES, description: 'Only companies with this connection status' })
  @IsOptional()
  @IsIn(COMPANY_STATUSES)
  status?: CompanyStatus;
}

/** A connection's health as operators see it. There is no token field: Flowgate keeps none. */
export class AdminTokenDto {
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ format: 'uuid', description: 'The tenant that connected the company' }) tenantId: string;
  @ApiProperty({ description: "Nango's connection id" }) connectionId: string;
  @ApiProperty({ description: "Nango's integration (provider config) key" }) providerConfigKey: string;
  @ApiProperty({ description: 'The OAuth provider' }) provider: string;
  @ApiProperty({ type: String, nullable: true, description: 'Business name, once synced' }) businessName: string | null;
  @ApiProperty({
    enum: COMPANY_STATUSES,
    description: 'active: tokens refresh; needs_reauth: the customer must connect again; revoked: disconnected',
  })
  status: CompanyStatus;
  @ApiDateTimeProperty({ nullable: true, description: 'When the access token Nango holds expires (null: unknown)' }) tokenExpiresAt:
    string | null;
  @ApiDateTimeProperty({ nullable: true, description: 'Last refresh attempt (null: never)' }) lastRefreshAt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: [...REFRESH_STATUSES, null],
    description: 'Outcome of the last refresh (null: never refreshed)',
  })
  lastRefreshStatus: RefreshStatus | null;
  @ApiProperty({ type: String, nullable: true, description: "The last refresh's error (null after a success)" }) lastRefreshError:
    string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Failed refreshes since the last success' }) refreshFailures: number;

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
  @ApiProperty({ type: [AdminTokenDto], description: 'This page, newest company first' }) items: AdminTokenDto[];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Companies matching the query, over all pages' }) total: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'This page (from 1)' }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, description: 'Items per page' }) limit: number;
}

export class RefreshAllAcceptedDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Active companies considered' }) companies: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Forced refresh jobs enqueued by this call (one per active company, on every call)',
  })
  enqueued: number;
  @ApiProperty({ format: 'uuid', description: "This call's sweep: its jobs are `refresh:<companyId>:manual-<sweepId>`" }) sweepId: string;
}
