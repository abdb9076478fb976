import { Global, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { DependencyChecksService } from '../../core/health/dependency-checks.service';
import { NangoClient } from './nango.client';
import { missingNangoSettings } from './nango-settings';

/**
 * The thin Nango client, low in the dependency graph: companies, token refresh and the
 * connectors that accept a Nango connection sit above it.
 */
@Global()
@Module({ providers: [NangoClient], exports: [NangoClient] })
export class NangoModule implements OnModuleInit {
  private readonly logger = new Logger('Nango');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checks: DependencyChecksService,
    private readonly nango: NangoClient,
  ) {}

  onModuleInit(): void {
    const missing = missingNangoSettings(this.config, ['api', 'webhook']);
    if (missing.length === 3) {
      this.logger.log(
        'Nango is not configured: marketplace routes answer 503 until NANGO_HOST, NANGO_SECRET_KEY and NANGO_WEBHOOK_SECRET are set',
      );
    } else if (missing.length) {
      this.logger.warn(`Nango is partly configured: missing ${missing.join(', ')}`);
    }
    const apiMissing = missingNangoSettings(this.config, ['api']);
    this.checks.registerOptional('nango', async () => {
      if (apiMissing.length) throw new Error(`not configured (${apiMissing.join(', ')})`);
      await this.nango.ping();
    });
  }
}
