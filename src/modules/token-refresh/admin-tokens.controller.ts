import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AppException } from '../../core/errors/app-exception';
import { queueUnavailable } from '../../core/queue/enqueue-within';
import { AdminRoute } from '../../core/security/decorators';
import { AuditService } from '../audit';
import { CompaniesRepository } from '../companies';
import { offsetOf } from '../companies';
import { assertNangoConfigured } from '../nango';
import { AdminTokenDto, AdminTokenPageDto, AdminTokensQueryDto, RefreshAllAcceptedDto } from './dto/admin-tokens.dto';
import { REFRESH_NOT_QUEUED, TokenRefreshService } from './token-refresh.service';

@ApiTags('admin')
@AdminRoute()
@Controller('api/admin/tokens')
export class AdminTokensController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly companies: CompaniesRepository,
    private readonly refresher: TokenRefreshService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Every company's connection status, token expiry, last refresh and last error (never a token value)",
    description:
      'Companies of every tenant, newest first, optionally only those with one `status`: what an operator needs to see which connections fail to refresh. Flowgate keeps no tokens (Nango does), so none is ever shown.',
  })
  @ApiOkResponse({ type: AdminTokenPageDto, description: 'One page of companies with their token health' })
  async list(@Query() q: AdminTokensQueryDto): Promise<AdminTokenPageDto> {
    const [items, total] = await this.companies.listAllForAdmin({ offset: offsetOf(q), limit: q.limit, status: q.status });
    return { items: items.map(AdminTokenDto.from), total, page: q.page, limit: q.limit };
  }

  @Post('refresh-all')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Enqueue a forced refresh of every active company, now',
    description:
      'Every call enqueues a fresh sweep (also twice in the same hour, unlike the hourly scheduled sweep). A company is never refreshed by two jobs at once: a job that finds its company being refreshed runs after it. 503 NANGO_NOT_CONFIGURED when Nango is not set up, 503 QUEUE_UNAVAILABLE when the jobs could not be queued (Redis away).',
  })
  @ApiAcceptedResponse({ type: RefreshAllAcceptedDto, description: 'The sweep is queued; the refreshes run in the background' })
  @ApiErrors(503)
  async refreshAll(): Promise<RefreshAllAcceptedDto> {
    assertNangoConfigured(this.config);
    let queued: RefreshAllAcceptedDto;
    try {
      queued = await this.refresher.enqueueAll();
    } catch (e) {
      // Whatever else failed on the way, the jobs are not all queued: the same 503, the cause only logged.
      if (e instanceof AppException) throw e;
      throw queueUnavailable(REFRESH_NOT_QUEUED, (e as Error)?.message ?? String(e));
    }
    // Queued jobs, not one transaction: recorded once the sweep is queued (no tenant: it spans them all).
    await this.audit.record(undefined, {
      tenantId: null,
      action: 'admin.tokens_refresh_all',
      targetType: 'token_refresh',
      targetId: queued.sweepId,
      changes: { before: {}, after: { companies: queued.companies, enqueued: queued.enqueued } },
    });
    return queued;
  }
}
