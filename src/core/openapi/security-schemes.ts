import type { SecuritySchemeObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * Every way a caller proves who it is, as security schemes (never as plain header parameters,
 * so clients and Swagger UI's Authorize dialog know them). Operations name theirs with
 * `@ApiSecurity(<key>)`, `@ApiBearerAuth()` or, when public, nothing (finishDocument writes
 * `security: []` for routes marked `@Public()`).
 */
export const SECURITY_SCHEMES: Record<string, SecuritySchemeObject> = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `accessToken` from `POST /api/auth/register`, `login` or `dev-login`' },
  'admin-token': { type: 'apiKey', in: 'header', name: 'X-Admin-Token', description: 'Operator token (ADMIN_TOKEN)' },
  'gateway-secret': {
    type: 'apiKey',
    in: 'header',
    name: 'X-Flowgate-Gateway-Secret',
    description: "The deployment's gateway secret, added by Kong's request-transformer on the routes of a Kong pattern; callers never send it themselves",
  },
  'usage-secret': { type: 'apiKey', in: 'header', name: 'X-Kong-Usage-Secret', description: "The Kong usage secret (KONG_USAGE_SECRET), sent by Kong's http-log plugin" },
  'nango-signature': {
    type: 'apiKey',
    in: 'header',
    name: 'X-Nango-Hmac-Sha256',
    description: "Nango's webhook signature: hex HMAC-SHA256 of the raw body with NANGO_WEBHOOK_SECRET",
  },
  'webhook-signature': {
    type: 'apiKey',
    in: 'header',
    name: 'X-Flowgate-Signature',
    description: 'Required when the workflow has a webhook secret: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (5-minute window)',
  },
};
