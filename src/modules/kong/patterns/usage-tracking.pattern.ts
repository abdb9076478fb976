import { z } from 'zod';
import { AppException } from '../../../core/errors/app-exception';
import { definePattern } from './kong-pattern';
import { USAGE_SECRET_HEADER } from './secrets';

const options = z.strictObject({
  max_batch_size: z.number().int().min(1).max(1000).default(100),
  max_coalescing_delay: z.number().min(0).max(3600).default(1).meta({ format: 'double' }),
});
export type UsageTrackingOptions = z.output<typeof options>;

/** Kong's http-log posts every request through the route to Flowgate's usage endpoint (metering). */
export const usageTracking = definePattern({
  name: 'usage_tracking',
  routeSuffix: 'metered',
  options,
  upstream: { webhook: true },
  frontsWebhook: true,
  requireConfigured: (config) => {
    if (!config.kong.usageSecret) {
      throw AppException.unavailable(
        'KONG_USAGE_NOT_CONFIGURED',
        'Usage tracking needs KONG_USAGE_SECRET (the shared secret Kong sends with usage logs)',
      );
    }
  },
  plan: (o, kit) => {
    const usageSecret = kit.required(kit.config.kong.usageSecret, 'usage secret (KONG_USAGE_SECRET, checked before planning)');
    const log = kit.plugin('http-log', {
      http_endpoint: `${kit.config.kong.publicUrlForKong}/api/kong/usage`,
      method: 'POST',
      content_type: 'application/json',
      timeout: 10_000,
      keepalive: 60_000,
      headers: { [USAGE_SECRET_HEADER]: kit.secret(usageSecret) },
      queue: { max_batch_size: o.max_batch_size, max_coalescing_delay: o.max_coalescing_delay },
    });
    return kit.plan([kit.service([kit.route(['POST'], [log, ...kit.webhookGate()])])]);
  },
});
