import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { COMPANY_STATUSES, CompanyEntity, CompanyStatus } from '../entities/company.entity';
import { PageQueryDto } from './pagination.dto';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class ListCompaniesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches business name or connection id (case-insensitive substring)', maxLength: 200 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: COMPANY_STATUSES })
  @IsOptional()
  @IsIn(COMPANY_STATUSES)
  status?: CompanyStatus;
}

/** A connected company as the API shows it: connection facts and health, never a token. */
export class CompanyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Nango connection id' }) connectionId: string;
  @ApiProperty({ description: 'Nango integration (provider config key)', example: 'quickbooks' }) providerConfigKey: string;
  @ApiProperty({ example: 'quickbooks' }) provider: string;
  @ApiProperty({ type: String, nullable: true }) businessName: string | null;
  @ApiProperty({ enum: COMPANY_STATUSES, description: '`needs_reauth`: the customer must connect again; `revoked`: Nango no longer has the connection' })
  status: CompanyStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) tokenExpiresAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastRefreshAt: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['succeeded', 'failed'] }) lastRefreshStatus: string | null;
  @ApiProperty({ type: String, nullable: true }) lastRefreshError: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastSyncedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

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

export class CompanyPageDto {
  @ApiProperty({ type: [CompanyDto] }) items: CompanyDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}
