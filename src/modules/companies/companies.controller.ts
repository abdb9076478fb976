import { Controller, Delete, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import { CompaniesService } from './companies.service';
import { CompanyDto, CompanyPageDto, ListCompaniesQueryDto } from './dto/company.dto';
import { PageQueryDto } from './dto/pagination.dto';
import { SyncAcceptedDto, SyncRunPageDto } from './dto/sync-run.dto';
import { ContactPageDto, LocationPageDto, ProductPageDto } from './dto/synced-records.dto';
import {
  ApiError,
  DEPENDENCY_UNAVAILABLE,
  NANGO_BAD_GATEWAY,
  NANGO_RATE_LIMITED,
  NANGO_REJECTED,
  NANGO_UNAVAILABLE,
  TENANT_RATE_LIMITED,
} from './marketplace-api-errors';
import { TenantRateLimitGuard } from './tenant-rate-limit.guard';

const CompanyId = () => ApiParam({ name: 'id', format: 'uuid', description: 'Company id (from GET /api/companies)' });
const BAD_ID = '`VALIDATION_FAILED`: `id` is not a UUID';
const BAD_ID_OR_PAGE =
  '`VALIDATION_FAILED`: `id` is not a UUID, or `page`/`limit` is invalid or unknown query parameters were sent (`details` names each)';
const UNKNOWN_COMPANY = '`NOT_FOUND`: no such company for this tenant';

@ApiTags('marketplace')
@ApiBearerAuth()
@ApiError(429, TENANT_RATE_LIMITED)
@UseGuards(TenantRateLimitGuard)
@Controller('api/companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @ApiOperation({
    summary: "List the tenant's connected companies",
    description:
      'Companies connected through the OAuth flow, the exchange endpoint or a Nango auth webhook, newest first, with their connection health. ' +
      'Filter by `status` or a `search` substring of business name or connection id. Never includes tokens.',
  })
  @ApiOkResponse({ type: CompanyPageDto, description: 'One page of companies' })
  @ApiError(400, '`VALIDATION_FAILED`: a query parameter is invalid or unknown (`details` names it)')
  @ApiError(503, DEPENDENCY_UNAVAILABLE)
  list(@CurrentUser() user: AuthUser, @Query() q: ListCompaniesQueryDto) {
    return this.companies.list(user.tenantId, q);
  }

  @Get(':id')
  @CompanyId()
  @ApiOperation({
    summary: 'Get one company',
    description:
      "Connection status, token expiry, the last token refresh and the last sync of one company of this tenant. 404 for an unknown id or another tenant's company.",
  })
  @ApiOkResponse({ type: CompanyDto, description: 'The company' })
  @ApiError(400, BAD_ID)
  @ApiError(404, UNKNOWN_COMPANY)
  @ApiError(503, DEPENDENCY_UNAVAILABLE)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.companies.get(user.tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @CompanyId()
  @ApiOperation({
    summary: 'Disconnect a company',
    description:
      "Deletes the company's Nango connection first (so the customer's grant is gone; a connection Nango no longer has counts as deleted), " +
      'then the company and its synced locations, contacts, products and sync runs. Needs Nango configured; a Nango failure leaves the company in place.',
  })
  @ApiNoContentResponse({ description: 'Disconnected and deleted' })
  @ApiError(400, `${BAD_ID}; ${NANGO_REJECTED}`)
  @ApiError(404, `${UNKNOWN_COMPANY}; \`NANGO_INTEGRATION_NOT_FOUND\`: Nango no longer has the company's integration`)
  @ApiError(429, `${TENANT_RATE_LIMITED}; ${NANGO_RATE_LIMITED}`)
  @ApiError(502, NANGO_BAD_GATEWAY)
  @ApiError(503, NANGO_UNAVAILABLE)
  async remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.companies.delete(user.tenantId, id);
  }

  @Post(':id/sync')
  @HttpCode(202)
  @CompanyId()
  @ApiOperation({
    summary: "Queue a sync of the company's data",
    description:
      "Queues a pull of the company's locations, contacts and products through the Nango proxy (QuickBooks and HubSpot) and answers the run to follow in " +
      'GET /api/companies/{id}/sync-runs. A sync already queued or running is joined, not repeated. Needs Nango configured and an `active` company (409 otherwise).',
  })
  @ApiAcceptedResponse({ type: SyncAcceptedDto, description: 'The sync run, queued or joined' })
  @ApiError(400, BAD_ID)
  @ApiError(404, UNKNOWN_COMPANY)
  @ApiError(409, '`COMPANY_NOT_ACTIVE`: the company needs re-authorization or was revoked; the customer must connect again')
  @ApiError(
    503,
    '`NANGO_NOT_CONFIGURED`: NANGO_HOST / NANGO_SECRET_KEY not set; `QUEUE_UNAVAILABLE`: Redis is away, nothing was queued; or PostgreSQL is away',
  )
  sync(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.companies.requestSync(user.tenantId, id);
  }

  @Get(':id/locations')
  @CompanyId()
  @ApiOperation({
    summary: "List the company's synced locations",
    description: 'Locations stored by the last syncs (read from Flowgate, not from the provider), by name.',
  })
  @ApiOkResponse({ type: LocationPageDto, description: 'One page of locations' })
  @ApiError(400, BAD_ID_OR_PAGE)
  @ApiError(404, UNKNOWN_COMPANY)
  @ApiError(503, DEPENDENCY_UNAVAILABLE)
  locations(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listRecords('locations', user.tenantId, id, q);
  }

  @Get(':id/contacts')
  @CompanyId()
  @ApiOperation({
    summary: "List the company's synced contacts",
    description: 'Contacts stored by the last syncs (read from Flowgate, not from the provider), by name.',
  })
  @ApiOkResponse({ type: ContactPageDto, description: 'One page of contacts' })
  @ApiError(400, BAD_ID_OR_PAGE)
  @ApiError(404, UNKNOWN_COMPANY)
  @ApiError(503, DEPENDENCY_UNAVAILABLE)
  contacts(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listRecords('contacts', user.tenantId, id, q);
  }

  @Get(':id/products')
  @CompanyId()
  @ApiOperation({
    summary: "List the company's synced products",
    description: 'Products stored by the last syncs (read from Flowgate, not from the provider), by name.',
  })
  @ApiOkResponse({ type: ProductPageDto, description: 'One page of products' })
  @ApiError(400, BAD_ID_OR_PAGE)
  @ApiError(404, UNKNOWN_COMPANY)
  @ApiError(503, DEPENDENCY_UNAVAILABLE)
  products(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listRecords('products', user.tenantId, id, q);
  }

  @Get(':id/sync-runs')
  @CompanyId()
  @ApiOperation({
    summary: "List the company's sync runs",
    description:
      'Every sync run of the company, newest first, read live: status, counts per entity and what failed. Runs older than the retention are pruned daily.',
  })
  @ApiOkResponse({ type: SyncRunPageDto, description: 'One page of sync runs' })
  @ApiError(400, BAD_ID_OR_PAGE)
  @ApiError(404, UNKNOWN_COMPANY)
  @ApiError(503, DEPENDENCY_UNAVAILABLE)
  syncRuns(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: PageQueryDto) {
    return this.companies.listSyncRuns(user.tenantId, id, q);
  }
}
