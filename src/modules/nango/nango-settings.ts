import { AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';

/** What a route needs from Nango: the API (host + secret key) or webhook verification. */
export type NangoNeed = 'api' | 'webhook';

export function missingNangoSettings(config: AppConfig, needs: NangoNeed[] = ['api']): string[] {
  const missing: string[] = [];
  if (needs.includes('api')) {
    if (!config.nango.host) missing.push('NANGO_HOST');
    if (!config.nango.secretKey) missing.push('NANGO_SECRET_KEY');
  }
  if (needs.includes('webhook') && !config.nango.webhookSecret) missing.push('NANGO_WEBHOOK_SECRET');
  return missing;
}

/** Throws the 503 a Nango route answers while Flowgate is not connected to Nango. */
export function assertNangoConfigured(config: AppConfig, needs: NangoNeed[] = ['api']): void {
  const missing = missingNangoSettings(config, needs);
  if (missing.length) {
    throw new AppException(
      503,
      'NANGO_NOT_CONFIGURED',
      `Nango is not configured: set ${missing.join(', ')}`,
      missing.map((name) => ({ field: name, message: `${name} is not set` })),
    );
  }
}
