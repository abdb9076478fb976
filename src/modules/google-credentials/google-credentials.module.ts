import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { OutboundHttpClient } from '../../core/http/outbound-http.client';
import { googleServiceAccountKind } from '../connectors';
import { AuthKindRegistry, CredentialsModule } from '../credentials';

/**
 * Adds the `google_service_account` credential kind (a Google service account's key, exchanged
 * for an access token at call time) to the credential registry, with the token URL
 * (GOOGLE_TOKEN_URL) and Flowgate's outbound client it needs. The kind itself lives with the
 * Google Sheets connector (providers/google-sheets/google-service-account.ts).
 */
@Module({ imports: [CredentialsModule] })
export class GoogleCredentialsModule implements OnModuleInit {
  constructor(
    private readonly kinds: AuthKindRegistry,
    private readonly http: OutboundHttpClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.kinds.register(
      googleServiceAccountKind(this.config.connectors.googleTokenUrl, { request: (req, options) => this.http.request(req, options) }),
    );
  }
}
