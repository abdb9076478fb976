import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { Public } from '../../core/security/decorators';
import { NangoWebhookService } from './nango-webhook.service';

class NangoWebhookResultDto {
  @ApiProperty({ enum: ['company_upserted', 'needs_reauth', 'company_revoked', 'duplicate', 'ignored'] }) status: string;
  @ApiProperty({ required: false }) reason?: string;
}

@ApiTags('marketplace-webhooks')
@Controller('api/nango')
export class NangoWebhookController {
  constructor(private readonly webhooks: NangoWebhookService) {}

  @Post('webhook')
  @Public()
  @SkipThrottle()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Nango webhooks (auth creation/override/refresh/deletion); unknown types are acknowledged and ignored',
    description:
      '`X-Nango-Hmac-Sha256` must be the hex HMAC-SHA256 of the raw body with NANGO_WEBHOOK_SECRET. Every effect is idempotent; a delivery whose bytes were applied to the same, unchanged company in the last 10 minutes (a Nango retry) answers 200 `duplicate`.',
  })
  @ApiHeader({ name: 'X-Nango-Hmac-Sha256', required: true })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        type: 'auth',
        operation: 'creation',
        connectionId: '5b3e1c9a-0d1f-4f5e-9a51-2f0c8d1e7a42',
        providerConfigKey: 'quickbooks',
        provider: 'quickbooks',
        success: true,
        tags: { organization_id: '0f8fad5b-d9cb-469f-a165-70867728950e', end_user_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
      },
    },
  })
  @ApiOkResponse({ type: NangoWebhookResultDto })
  @ApiErrors(400, 401, 503)
  receive(@Req() req: RawBodyRequest<FastifyRequest>, @Headers('x-nango-hmac-sha256') signature?: string) {
    return this.webhooks.handle(req.rawBody, signature, req.body);
  }
}
