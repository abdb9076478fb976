import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { CredentialScope, secretFormsOf } from '../../../core/http/credential-scope';
import { OutboundHttpClient } from '../../../core/http/outbound-http.client';
import { Connector, ConnectorContext, ResolvedCredential } from '../contract';
import { effectiveHosts } from './credential-hosts';

/**
 * Builds what a connector sees for one call: the shared client bound to the call's signal and
 * to its credential's scope (the hosts it may go to, its secrets), its base URL, its credential.
 */
@Injectable()
export class ConnectorContextFactory {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: OutboundHttpClient,
  ) {}

  build(input: {
    tenantId: string;
    connector: Connector;
    credential?: ResolvedCredential;
    signal: AbortSignal;
    idempotencyKey?: string;
  }): ConnectorContext {
    const baseUrl = this.baseUrlFor(input.connector);
    return {
      http: this.http.bind({
        signal: input.signal,
        credential: input.credential && this.scopeOf(input.connector, input.credential, baseUrl),
      }),
      credential: input.credential,
      baseUrl,
      signal: input.signal,
      tenantId: input.tenantId,
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
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

  /** The credential's scope for this connector (its hosts and secret forms), as `build` binds it. */
  scopeFor(connector: Connector, credential: ResolvedCredential | undefined): CredentialScope | undefined {
    return credential && this.scopeOf(connector, credential, this.baseUrlFor(connector));
  }

  private scopeOf(connector: Connector, credential: ResolvedCredential, baseUrl: string): CredentialScope {
    return {
      id: credential.id,
      name: credential.name,
      hosts: effectiveHosts(connector.descriptor, credential.allowedHosts ?? null, credential.secrets, baseUrl),
      secretValues: secretFormsOf(credential.secrets),
    };
  }
}
