import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../core/errors/api-errors.decorator';
import { AuthUser } from '../../../core/security/auth-user';
import { CurrentUser, Public } from '../../../core/security/decorators';
import { UsageIngestResultDto, UsageQueryDto, UsageReportDto } from '../dto/usage.dto';
import { USAGE_SECRET_HEADER } from '../templates/plan-builder';
import { UsageService } from './usage.service';

@ApiTags('usage')
@Controller()
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Post('api/kong/usage')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "Kong's http-log target: stores one usage record per log entry",
    description: 'Called by Kong, not by users. Authenticated by the shared secret KONG_USAGE_SECRET. A batch with any bad entry is refused whole (400 naming each entry and field).',
  })
  @ApiHeader({ name: 'X-Kong-Usage-Secret', required: true, description: 'The shared secret (KONG_USAGE_SECRET)' })
  @ApiBody({ description: 'A JSON array of Kong http-log entries, or one entry', schema: { oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }] } })
  @ApiOkResponse({ type: UsageIngestResultDto })
  @ApiErrors(400, 401, 413, 503)
  async ingest(@Headers(USAGE_SECRET_HEADER) secret: string | undefined, @Body() body: unknown): Promise<UsageIngestResultDto> {
    this.usage.authenticate(secret);
    return this.usage.ingest(body);
  }

  @Get('api/usage')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'API usage through Kong for billing: request counts, bytes, latency p50/p95/p99, grouped by consumer, route or day' })
  @ApiOkResponse({ type: UsageReportDto })
  @ApiErrors(400, 401)
  report(@CurrentUser() user: AuthUser, @Query() q: UsageQueryDto): Promise<UsageReportDto> {
    return this.usage.report(user.tenantId, q);
  }
}
