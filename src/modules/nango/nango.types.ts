/**
 * What Flowgate keeps from a Nango connection. Credentials are deliberately absent: the
 * client wrapper drops them before anything leaves it (see NangoClient.getAccessToken for
 * the one call-time exception).
 */
export interface NangoConnectionInfo {
  connectionId: string;
  providerConfigKey: string;
  provider: string;
  createdAt?: string;
  /** When the current access token expires (OAuth); null when Nango reports none. */
  tokenExpiresAt: Date | null;
  /** e.g. QuickBooks `realmId`. */
  connectionConfig: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** Nango's error markers on the connection, e.g. `[{ type: 'auth' }]` after a failed refresh. */
  errors: Array<{ type: string }>;
  endUser: {
    id: string;
    displayName: string | null;
    email: string | null;
    organizationId: string | null;
    organizationName: string | null;
  } | null;
  tags: Record<string, string>;
}

export interface NangoConnectionSummary {
  connectionId: string;
  providerConfigKey: string;
  provider: string;
  errors: Array<{ type: string }>;
  /** When Nango created the connection (`created` in the list answer). */
  createdAt?: string;
  tags: Record<string, string>;
}

export interface ConnectSession {
  token: string;
  connectLink: string | null;
  expiresAt: string;
}

export interface ProxyRequest {
  providerConfigKey: string;
  connectionId: string;
  endpoint: string;
  params?: Record<string, string>;
}
