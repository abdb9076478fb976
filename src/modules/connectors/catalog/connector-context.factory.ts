import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { OutboundHttpClient } from '../../../core/http/outbound-http.client';
import { Connector, ConnectorContext, ResolvedCredential } from '../connector.types';

/** Builds what a connector sees for one call: the shared client bound to the call's signal, its base URL, its credential. */
@Injectable()
export class ConnectorContextFactory {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: OutboundHttpClient,
  ) {}

  build(input: { tenantId: string; connector: Connector; credential?: ResolvedCredential; signal: AbortSignal }): ConnectorContext {
    return {
      http: this.http.bind({ signal: input.signal }),
      credential: input.credential,
      baseUrl: this.baseUrlFor(input.connector),
      signal: input.signal,
      tenantId: input.tenantId,
    };
  }

  /**
   * The override from the connector's `baseUrlSetting` (e.g. OPENWEATHER_BASE_URL), or '' so
   * the connector uses its own default (or, like Salesforce, the credential's instance URL).
   */
  baseUrlFor(connector: Connector): string {
    const setting = connector.descriptor.baseUrlSetting;
    return (setting && this.config.connectors.baseUrls[setting]) || '';
  }
}
