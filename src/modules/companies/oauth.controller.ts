import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Public } from '../../core/security/decorators';
import { CompanyConnectService } from './company-connect.service';
import { ConnectedCompanyDto, ExchangeDto, OAuthCallbackQueryDto, OAuthUrlDto, OAuthUrlQueryDto } from './dto/oauth.dto';
import { TenantRateLimitGuard } from './tenant-rate-limit.guard';

/**
 * Marketplace OAuth through Nango. `oauth-url` and `exchange` act for the signed-in tenant
 * (JWT). `callback` is public because the customer's browser lands on it without Flowgate's
 * JWT; it trusts only the signed `state` that `oauth-url` issued (tenant + connect session).
 */
@ApiTags('marketplace-oauth')
@Controller('api/auth')
@UseGuards(TenantRateLimitGuard)
export class OAuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connect: CompanyConnectService,
  ) {}

  @Get('oauth-url')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start connecting a company: creates a Nango connect session for this tenant' })
  @ApiOkResponse({ type: OAuthUrlDto })
  @ApiErrors(400, 401, 404, 429, 502, 503)
  oauthUrl(@CurrentUser() user: AuthUser, @Query() q: OAuthUrlQueryDto): Promise<OAuthUrlDto> {
    return this.connect.oauthUrl(user, q.integration_id);
  }

  @Get('callback')
  @Public()
  @ApiOperation({
    summary: 'Finish connecting: finds the connection Nango created for the session (by its tags) and creates or updates the company',
    description:
      'Call it after the customer finished the Nango Connect flow. Nango chooses the connection id; Flowgate finds the connection by the tags of the connect session named in `state` (404 until it exists). Answers JSON, or redirects (302) to OAUTH_REDIRECT_URL with `status`, `company_id` or `error` when that setting is present.',
  })
  @ApiOkResponse({ type: ConnectedCompanyDto })
  @ApiFoundResponse({ description: 'Redirect to OAUTH_REDIRECT_URL (when configured)' })
  @ApiErrors(400, 404, 502, 503)
  async callback(
    @Query() q: OAuthCallbackQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConnectedCompanyDto | undefined> {
    const redirect = this.config.nango.oauthRedirectUrl;
    if (!redirect) return this.connect.callback(q.state);
    const target = new URL(redirect);
    try {
      const result = await this.connect.callback(q.state);
      target.searchParams.set('status', 'connected');
      target.searchParams.set('company_id', result.company.id);
    } catch (e) {
      if (!(e instanceof AppException)) throw e;
      target.searchParams.set('status', 'error');
      target.searchParams.set('error', e.code);
    }
    void reply.status(302).header('location', target.toString()).send();
    return undefined;
  }

  @Post('exchange')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Attach an existing Nango connection to this tenant (creates or updates the company)' })
  @ApiOkResponse({ type: ConnectedCompanyDto })
  @ApiErrors(400, 401, 404, 429, 502, 503)
  exchange(@CurrentUser() user: AuthUser, @Body() dto: ExchangeDto): Promise<ConnectedCompanyDto> {
    return this.connect.exchange(user, dto.integration_id, dto.connection_id);
  }
}
