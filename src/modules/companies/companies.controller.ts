import { Controller, Delete, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import { CompaniesService } from './companies.service';
import { CompanyDto, CompanyPageDto, ListCompaniesQueryDto } from './dto/company.dto';
import { PageQueryDto } from './dto/pagination.dto';
import { SyncAcceptedDto, SyncRunPageDto } from './dto/sync-run.dto';
import { ContactPageDto, LocationPageDto, ProductPageDto } from './dto/synced-records.dto';
import { TenantRateLimitGuard } from './tenant-rate-limit.guard';

@ApiTags('companies')
@ApiBearerAuth()
@ApiErrors(401, 429)
@UseGuards(TenantRateLimitGuard)
@Controller('api/companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's connected companies (paginated, searchable)" })
  @ApiOkResponse({ type: CompanyPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() q: ListCompaniesQueryDto) {
    return this.companies.list(user.tenantId, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One company: connection status, token expiry, last refresh and sync' })
  @ApiOkResponse({ type: CompanyDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.companies.get(user.tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disconnect a company: deletes its Nango connection, then the company and its synced data' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 502, 503)
  async remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.companies.delete(user.tenantId, id);
  }

  @Post(':id/sync')
  @HttpCode(202)
  @ApiOperation({ summary: "Queue a sync of the company's locations, contacts and products through the Nango proxy" })
  @ApiAcceptedResponse({ type: SyncAcceptedDto })
  @ApiErrors(400, 404, 409, 503)
  sync(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.companies.requestSync(user.tenantId, id);
  }

  @Get(':id/locations')
  @ApiOperation({ summary: 'Synced locations (paginated)' })
  @ApiOkResponse({ type: LocationPageDto })
  @ApiErrors(400, 404)
  locations(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listRecords('locations', user.tenantId, id, q);
  }

  @Get(':id/contacts')
  @ApiOperation({ summary: 'Synced contacts (paginated)' })
  @ApiOkResponse({ type: ContactPageDto })
  @ApiErrors(400, 404)
  contacts(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listRecords('contacts', user.tenantId, id, q);
  }

  @Get(':id/products')
  @ApiOperation({ summary: 'Synced products (paginated)' })
  @ApiOkResponse({ type: ProductPageDto })
  @ApiErrors(400, 404)
  products(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listRecords('products', user.tenantId, id, q);
  }

  @Get(':id/sync-runs')
  @ApiOperation({ summary: 'Sync runs of the company, newest first (paginated)' })
  @ApiOkResponse({ type: SyncRunPageDto })
  @ApiErrors(400, 404)
  syncRuns(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listSyncRuns(user.tenantId, id, q);
  }
}
