import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../core/errors/api-errors.decorator';
import { ErrorResponseDto } from '../../../core/errors/error-response.dto';
import { AuthUser } from '../../../core/security/auth-user';
import { CurrentUser, Public } from '../../../core/security/decorators';
import { UsageIngestResultDto, UsageQueryDto, UsageReportDto } from '../dto/usage.dto';
import { USAGE_SECRET_HEADER } from '../patterns/secrets';
import { HTTP_LOG_ENTRY_SCHEMA } from './http-log-entry';
import { MAX_ENTRIES, UsageService } from './usage.service';

@ApiTags('kong')
@Controller()
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Post('api/kong/usage')
  @Public()
  @ApiSecurity('usage-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: "Kong's http-log target: stores one usage record per log entry",
    description:
      "Called by Kong's http-log plugin on usage_tracking routes, not by users; authenticated by the shared secret KONG_USAGE_SECRET " +
      '(`usage-secret`). ' +
      'Each entry is attributed to a tenant by the `deployment:<id>` (or `tenant:<id>`) tag of its Kong route or service. ' +
      'A batch with any bad entry is refused whole: 400 with one `details` entry per problem, `field` naming the entry and field ' +
      '(`2.response.status`): VALIDATION_FAILED for a malformed entry, USAGE_NOT_ATTRIBUTED for one whose tags name no known ' +
      'deployment or tenant. 503 KONG_USAGE_NOT_CONFIGURED when KONG_USAGE_SECRET is not set.',
  })
  @ApiBody({
    description: `A JSON array of up to ${MAX_ENTRIES} Kong http-log entries (the plugin's batches), or one entry`,
    schema: { oneOf: [{ type: 'array', items: HTTP_LOG_ENTRY_SCHEMA, maxItems: MAX_ENTRIES }, HTTP_LOG_ENTRY_SCHEMA] },
  })
  @ApiOkResponse({ type: UsageIngestResultDto, description: 'Every entry was stored' })
  @ApiResponse({
    status: 401,
    description: 'The usage secret is missing (USAGE_SECRET_REQUIRED) or wrong (USAGE_SECRET_INVALID)',
    type: ErrorResponseDto,
  })
  @ApiResponse({
    status: 503,
    description: 'Usage metering is off (KONG_USAGE_NOT_CONFIGURED), or PostgreSQL is unavailable',
    type: ErrorResponseDto,
  })
  async ingest(@Headers(USAGE_SECRET_HEADER) secret: string | undefined, @Body() body: unknown): Promise<UsageIngestResultDto> {
    this.usage.authenticate(secret);
    return this.usage.ingest(body);
  }

  @Get('api/usage')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'API usage through Kong, for billing',
    description:
      "Request counts, errors, bytes and Kong's latency percentiles (p50/p95/p99) of your tenant's usage_tracking routes, over a range " +
      'of at most 366 days ' +
      '(default: the last 30 days), grouped by consumer, route or UTC day, with totals. 400 names the bad parameter (`from` after `to`, ' +
      'a range too long, an unknown groupBy).',
  })
  @ApiOkResponse({ type: UsageReportDto, description: 'Totals and groups for the range' })
  @ApiErrors(400, 401)
  report(@CurrentUser() user: AuthUser, @Query() q: UsageQueryDto): Promise<UsageReportDto> {
    return this.usage.report(user.tenantId, q);
  }
}
