import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { COMPANY_STATUSES, CompanyEntity, CompanyStatus, REFRESH_STATUSES, RefreshStatus } from '../entities/company.entity';
import { PageMetaDto, PageQueryDto } from './pagination.dto';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const STATUS_DESCRIPTION =
  '`active`: usable; `needs_reauth`: the customer must connect again; `revoked`: Nango no longer has the connection';

export class ListCompaniesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Matches business name or connection id (case-insensitive substring; surrounding spaces ignored)',
    maxLength: 200,
    example: 'ltd',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: COMPANY_STATUSES, description: `Only companies in this status. ${STATUS_DESCRIPTION}` })
  @IsOptional()
  @IsIn(COMPANY_STATUSES, { message: `status must be one of ${COMPANY_STATUSES.join(', ')}` })
  status?: CompanyStatus;
}

/** A connected company as the API shows it: connection facts and health, never a token. */
export class CompanyDto {
  @ApiProperty({ format: 'uuid', description: "Flowgate's id of the company" }) id: string;
  @ApiProperty({ description: 'Nango connection id (chosen by Nango)', example: '5b3e1c9a-0d1f-4f5e-9a51-2f0c8d1e7a42' })
  connectionId: string;
  @ApiProperty({ description: 'Nango integration (provider config key)', example: 'quickbooks' }) providerConfigKey: string;
  @ApiProperty({ description: 'Provider behind the integration', example: 'quickbooks' }) provider: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: "The customer's business name, from the connection's metadata or end user (null when Nango has none)",
    example: 'Acme Ltd',
  })
  businessName: string | null;
  @ApiProperty({ enum: COMPANY_STATUSES, description: STATUS_DESCRIPTION }) status: CompanyStatus;
  @ApiDateTimeProperty({ nullable: true, description: 'When the access token held by Nango expires (null when unknown or not expiring)' })
  tokenExpiresAt: string | null;
  @ApiDateTimeProperty({ nullable: true, description: 'Last token refresh attempt (null before the first)' }) lastRefreshAt: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    enum: [...REFRESH_STATUSES, null],
    description: 'Outcome of the last token refresh (null before the first)',
  })
  lastRefreshStatus: RefreshStatus | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Why the last refresh failed (null when it succeeded or never ran)' })
  lastRefreshError: string | null;
  @ApiDateTimeProperty({ nullable: true, description: 'When the last sync finished (null before the first)' }) lastSyncedAt: string | null;
  @ApiDateTimeProperty({ description: 'When the company was first connected' }) createdAt: string;
  @ApiDateTimeProperty({ description: 'Last change to the company' }) updatedAt: string;

  static from(c: CompanyEntity): CompanyDto {
    return {
      id: c.id,
      connectionId: c.connectionId,
      providerConfigKey: c.providerConfigKey,
      provider: c.provider,
      businessName: c.businessName,
      status: c.status,
      tokenExpiresAt: iso(c.tokenExpiresAt),
      lastRefreshAt: iso(c.lastRefreshAt),
      lastRefreshStatus: c.lastRefreshStatus,
      lastRefreshError: c.lastRefreshError,
      lastSyncedAt: iso(c.lastSyncedAt),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}

export class CompanyPageDto extends PageMetaDto {
  @ApiProperty({ type: [CompanyDto], description: 'Newest first' }) items: CompanyDto[];
}
