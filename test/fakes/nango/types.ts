/** The Nango fake's public shapes (what the tests read and drive) and its session record. */
import { FakeServer } from '../fake-server';
import { HubSpotData, QuickBooksData } from './provider-data';

export type RefreshBehaviour = 'ok' | 'invalid' | 'exhausted' | 'error' | 'error_once';
export type AuthOperation = 'creation' | 'override' | 'refresh' | 'deletion';

export interface FakeNangoConnection {
  id: number;
  connectionId: string;
  providerConfigKey: string;
  provider: string;
  createdAt: string;
  updatedAt: string;
  endUser: {
    id: string;
    email: string | null;
    display_name: string | null;
    organization: { id: string; display_name: string | null } | null;
    tags: Record<string, string> | null;
  } | null;
  tags: Record<string, string>;
  connectionConfig: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
  refresh: RefreshBehaviour;
  errors: Array<{ type: string; log_id: string }>;
  /** force_refresh=true calls that reached the provider (the figure the tests count). */
  forcedRefreshes: number;
  /** force_refresh=true requests for this connection being answered now, and the most at once. */
  refreshInFlight: number;
  peakRefreshInFlight: number;
}

export interface FakeSession {
  token: string;
  expiresAt: Date;
  /** Deprecated input, kept on the connection's `end_user` when given. */
  endUser: { id: string; email?: string; display_name?: string; tags?: Record<string, string> } | null;
  organization?: { id: string; display_name?: string };
  allowedIntegrations?: string[];
  /** Normalised: explicit tags over those built from end_user / organization. */
  tags: Record<string, string>;
}

export interface NangoFakeStats {
  /** Requests being answered now (latency included) and the most seen at once. */
  inFlight: number;
  peakInFlight: number;
  refreshInFlight: number;
  peakRefreshInFlight: number;
  forcedRefreshes: number;
  proxyCalls: number;
}

export interface NangoFake extends FakeServer {
  secretKey: string;
  webhookSecret: string;
  /** Added to every answer (except /health), e.g. 20 ms for the refresh benchmark. */
  latencyMs: number;
  integrations: Map<string, { provider: string }>;
  connections: Map<string, FakeNangoConnection>;
  sessions: Map<string, FakeSession>;
  stats: NangoFakeStats;
  /** Keep `requests` empty (benchmarks make tens of thousands). */
  recordRequests: boolean;
  addIntegration(uniqueKey: string, provider?: string): void;
  addConnection(c: Partial<FakeNangoConnection> & { connectionId: string; providerConfigKey: string }): FakeNangoConnection;
  connection(providerConfigKey: string, connectionId: string): FakeNangoConnection | undefined;
  /**
   * What the customer finishing Nango's Connect UI does: creates the session's connection,
   * with an id Nango chooses (random) and the session's tags.
   */
  completeConnect(
    sessionToken: string,
    opts?: { integrationId?: string; connectionConfig?: Record<string, unknown>; metadata?: Record<string, unknown> },
  ): FakeNangoConnection;
  setQuickBooksData(connectionId: string, data: QuickBooksData): void;
  setHubSpotData(connectionId: string, data: HubSpotData): void;
  /** The next `times` proxy calls answer 429 with Retry-After. */
  rateLimitProxy(times: number, retryAfterSeconds?: number): void;
  signWebhook(rawBody: string): string;
  /** An auth webhook body as Nango sends it for this connection. */
  authWebhook(c: FakeNangoConnection, operation: AuthOperation, success?: boolean): Record<string, unknown>;
  /**
   * POSTs a webhook to Flowgate, signed with the webhook secret unless `signature` is given.
   * An object body is serialised with sorted keys, as Nango does; a string is sent as is.
   */
  sendWebhook(url: string, body: unknown, opts?: { signature?: string | null }): Promise<{ status: number; body: unknown }>;
  resetStats(): void;
}
