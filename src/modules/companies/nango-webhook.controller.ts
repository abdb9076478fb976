import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../core/security/decorators';
import { ApiError } from './marketplace-api-errors';
import { NANGO_WEBHOOK_BODY_SCHEMA } from './nango-webhook-body';
import { NangoWebhookService, WEBHOOK_OUTCOMES, WebhookOutcome } from './nango-webhook.service';

class NangoWebhookResultDto {
  @ApiProperty({
    enum: WEBHOOK_OUTCOMES,
    description:
      '`company_upserted`: auth creation/override applied; `needs_reauth`: a failed refresh flagged the company; `company_revoked`: the connection was deleted; ' +
      '`duplicate`: Nango retried a delivery already applied; `ignored`: nothing to do (see `reason`)',
  })
  status: WebhookOutcome;
  @ApiPropertyOptional({ description: 'Why the event was ignored', example: 'type sync is not handled' }) reason?: string;
}

@ApiTags('marketplace')
@Controller('api/nango')
export class NangoWebhookController {
  constructor(private readonly webhooks: NangoWebhookService) {}

  /**
   * Public for the JWT guard (Nango has no Flowgate token), authenticated by the signature.
   * Not throttled: Nango's deliveries and retries must not be refused with 429, which Nango
   * would only retry again.
   */
  @Post('webhook')
  @Public()
  @ApiSecurity('nango-signature')
  @SkipThrottle()
  @HttpCode(200)
  @ApiOperation({
    summary: "Receive Nango's webhooks",
    description:
      'Configure it as the webhook URL of your Nango environment. `X-Nango-Hmac-Sha256` must be the hex HMAC-SHA256 of the raw body with ' +
      "NANGO_WEBHOOK_SECRET. Auth events: `creation`/`override` create or update the company of the tenant named by the connection's tags, a failed " +
      '`refresh` flags it `needs_reauth`, `deletion` marks it `revoked`. Every effect is idempotent; a delivery whose bytes were applied to the same, ' +
      'unchanged company in the last 10 minutes (a Nango retry) answers `duplicate`. Other event types, and events about connections not made through ' +
      'Flowgate, are acknowledged with 200 `ignored`. Not rate limited (no 429).',
  })
  @ApiBody({ schema: NANGO_WEBHOOK_BODY_SCHEMA as never })
  @ApiOkResponse({ type: NangoWebhookResultDto, description: 'Acknowledged: what the event did' })
  @ApiError(
    400,
    '`WEBHOOK_BODY_REQUIRED`: no body; `WEBHOOK_BODY_INVALID`: not a JSON object; `VALIDATION_FAILED`: a field of the wrong type, or an auth event ' +
      'missing one (`details` names it); or malformed JSON',
  )
  @ApiError(401, '`NANGO_SIGNATURE_REQUIRED`: no `X-Nango-Hmac-Sha256`; `NANGO_SIGNATURE_INVALID`: it does not match the body')
  @ApiError(415, '`UNSUPPORTED_MEDIA_TYPE`: the body is not `application/json`')
  @ApiError(503, '`NANGO_NOT_CONFIGURED`: NANGO_WEBHOOK_SECRET is not set (checked before anything else); or PostgreSQL/Redis is away')
  receive(@Req() req: RawBodyRequest<FastifyRequest>) {
    // Read from the request, not with @Headers(): that would document the secret as a header parameter.
    const signature = req.headers['x-nango-hmac-sha256'];
    return this.webhooks.handle(req.rawBody, typeof signature === 'string' ? signature : undefined, req.body, req.headers['content-type']);
  }
}
