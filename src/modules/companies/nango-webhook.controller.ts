import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { Public } from '../../core/security/decorators';
import { NangoWebhookService } from './nango-webhook.service';

class NangoWebhookResultDto {
  @ApiProperty({ enum: ['company_upserted', 'needs_reauth', 'duplicate', 'ignored'] }) status: string;
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
    summary: 'Nango webhooks (auth creation/override/refresh); unknown types are acknowledged and ignored',
    description: '`X-Nango-Hmac-Sha256` must be the hex HMAC-SHA256 of the raw body with NANGO_WEBHOOK_SECRET. Replays of a handled delivery answer 200 `duplicate`.',
  })
  @ApiHeader({ name: 'X-Nango-Hmac-Sha256', required: true })
  @ApiBody({ schema: { type: 'object', example: { type: 'auth', operation: 'creation', connectionId: 'abc', providerConfigKey: 'quickbooks', provider: 'quickbooks', success: true } } })
  @ApiOkResponse({ type: NangoWebhookResultDto })
  @ApiErrors(400, 401, 503)
  receive(@Req() req: RawBodyRequest<FastifyRequest>, @Headers('x-nango-hmac-sha256') signature?: string) {
    return this.webhooks.handle(req.rawBody, signature, req.body);
  }
}
