import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Public } from '../../core/security/decorators';
import { CompanyConnectService } from './company-connect.service';
import { ConnectedCompanyDto, ExchangeDto, OAuthCallbackQueryDto, OAuthUrlDto, OAuthUrlQueryDto } from './dto/oauth.dto';
import {
  ApiError,
  NANGO_BAD_GATEWAY,
  NANGO_NEEDS_REAUTH,
  NANGO_RATE_LIMITED,
  NANGO_REJECTED,
  NANGO_UNAVAILABLE,
  TENANT_RATE_LIMITED,
} from './marketplace-api-errors';
import { TenantRateLimitGuard } from './tenant-rate-limit.guard';

const CONNECTION_NOT_FOUND = '`NANGO_CONNECTION_NOT_FOUND`: Nango has no such connection (or it belongs to another tenant)';
const INTEGRATION_NOT_FOUND = '`NANGO_INTEGRATION_NOT_FOUND`: Nango has no such integration';

/**
 * Marketplace OAuth through Nango. `oauth-url` and `exchange` act for the signed-in tenant
 * (JWT). `callback` is public because the customer's browser lands on it without Flowgate's
 * JWT; it trusts only the signed `state` that `oauth-url` issued (tenant + connect session).
 */
@ApiTags('marketplace')
@Controller('api/auth')
@UseGuards(TenantRateLimitGuard)
export class OAuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connect: CompanyConnectService,
  ) {}

  @Get('oauth-url')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Start connecting a company',
    description:
      'Creates a Nango connect session for this tenant and integration. Open `connectLink` (or use `sessionToken` with the Nango frontend SDK) for the customer, ' +
      'then call GET /api/auth/callback with `state`. Needs Nango configured; an integration Nango does not have is a 404.',
  })
  @ApiOkResponse({ type: OAuthUrlDto, description: 'The connect session and the signed `state`' })
  @ApiError(400, `\`VALIDATION_FAILED\`: \`integration_id\` is missing or malformed; ${NANGO_REJECTED}`)
  @ApiError(404, INTEGRATION_NOT_FOUND)
  @ApiError(429, `${TENANT_RATE_LIMITED}; ${NANGO_RATE_LIMITED}`)
  @ApiError(502, NANGO_BAD_GATEWAY)
  @ApiError(503, NANGO_UNAVAILABLE)
  oauthUrl(@CurrentUser() user: AuthUser, @Query() q: OAuthUrlQueryDto): Promise<OAuthUrlDto> {
    return this.connect.oauthUrl(user, q.integration_id);
  }

  @Get('callback')
  @Public()
  @ApiOperation({
    summary: 'Finish connecting a company',
    description:
      "Call it after the customer finished the Nango Connect flow; public, because the customer's browser lands on it without a JWT: it trusts only the signed `state` " +
      'from GET /api/auth/oauth-url (tenant and connect session, 30 minutes). Nango chooses the connection id; Flowgate finds the connection by the tags of the ' +
      'session (404 until it exists) and creates or updates the company. Answers JSON; when OAUTH_REDIRECT_URL is set it answers 302 to that URL instead, ' +
      'with `status=connected&company_id=...` or `status=error&error=<code>` (invalid query parameters and rate limits are still answered as JSON errors).',
  })
  @ApiOkResponse({ type: ConnectedCompanyDto, description: 'Connected (OAUTH_REDIRECT_URL not set)' })
  @ApiFoundResponse({
    description: 'Connected or failed, told to OAUTH_REDIRECT_URL (when set); no body',
    headers: {
      Location: {
        description:
          'OAUTH_REDIRECT_URL with `status` (`connected` or `error`) and `company_id` or `error` (the error code) added to its query',
        schema: {
          type: 'string',
          format: 'uri',
          example: 'https://app.example.com/connected?status=connected&company_id=0f8fad5b-d9cb-469f-a165-70867728950e',
        },
      },
    },
  })
  @ApiError(
    400,
    `\`VALIDATION_FAILED\`: \`state\` is missing or too long; \`OAUTH_STATE_INVALID\` / \`OAUTH_STATE_EXPIRED\`: start again with oauth-url; ${NANGO_REJECTED}`,
  )
  @ApiError(404, `${CONNECTION_NOT_FOUND}, e.g. the Connect flow is not finished yet; ${INTEGRATION_NOT_FOUND}`)
  @ApiError(409, NANGO_NEEDS_REAUTH)
  @ApiError(429, `\`RATE_LIMITED\`: the per-client limit; ${NANGO_RATE_LIMITED}`)
  @ApiError(502, NANGO_BAD_GATEWAY)
  @ApiError(503, NANGO_UNAVAILABLE)
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
  @ApiOperation({
    summary: 'Attach an existing Nango connection',
    description:
      "Creates or updates this tenant's company from a connection made outside the OAuth flow (Nango dashboard or API). The connection must not carry " +
      "another tenant's tags (it answers 404 like an unknown one). Needs Nango configured.",
  })
  @ApiOkResponse({ type: ConnectedCompanyDto, description: 'The company, created or updated' })
  @ApiError(400, `\`VALIDATION_FAILED\`: a field is missing, malformed or unknown (\`details\` names it); ${NANGO_REJECTED}`)
  @ApiError(404, `${CONNECTION_NOT_FOUND}; ${INTEGRATION_NOT_FOUND}`)
  @ApiError(409, NANGO_NEEDS_REAUTH)
  @ApiError(429, `${TENANT_RATE_LIMITED}; ${NANGO_RATE_LIMITED}`)
  @ApiError(502, NANGO_BAD_GATEWAY)
  @ApiError(503, NANGO_UNAVAILABLE)
  exchange(@CurrentUser() user: AuthUser, @Body() dto: ExchangeDto): Promise<ConnectedCompanyDto> {
    return this.connect.exchange(user, dto.integration_id, dto.connection_id);
  }
}
