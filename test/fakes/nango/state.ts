/** What every part of the Nango fake shares: its maps, counters, error shape and the API wrapper. */
import { bearerToken } from '../auth-headers';
import { FakeReply, FakeRequest } from '../fake-server';
import { HubSpotData, QuickBooksData } from './provider-data';
import { FakeNangoConnection, FakeSession, NangoFake, NangoFakeStats } from './types';

export interface NangoState {
  secretKey: string;
  webhookSecret: string;
  integrations: Map<string, { provider: string }>;
  connections: Map<string, FakeNangoConnection>;
  sessions: Map<string, FakeSession>;
  qbData: Map<string, QuickBooksData>;
  hsData: Map<string, HubSpotData>;
  stats: NangoFakeStats;
  nextId: number;
  proxyLimited: { times: number; retryAfter: number };
  /** The running fake; set before the first request can arrive. */
  fake: NangoFake;
}

export const err = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): FakeReply => ({
  status,
  body: { error: { code, message, ...extra } },
});
export const key = (pck: string, cid: string) => `${pck}\u0000${cid}`;
const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export const publicConnection = (c: FakeNangoConnection) => ({
  id: c.id,
  connection_id: c.connectionId,
  provider_config_key: c.providerConfigKey,
  provider: c.provider,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
  last_fetched_at: new Date().toISOString(),
  metadata: c.metadata,
  connection_config: c.connectionConfig,
  errors: c.errors,
  end_user: c.endUser,
  tags: c.tags,
});

/** Auth, latency and in-flight accounting around every API route. */
export const api =
  (state: NangoState, handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>) =>
  async (req: FakeRequest): Promise<FakeReply> => {
    const { fake, stats } = state;
    if (!fake.recordRequests) fake.requests.length = 0;
    // Forced refreshes are counted in flight for the whole request, latency included.
    const refreshing = req.query.force_refresh === 'true';
    const target = refreshing ? state.connections.get(key(String(req.query.provider_config_key), req.params.id ?? '')) : undefined;
    stats.inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    if (refreshing) {
      stats.refreshInFlight++;
      stats.peakRefreshInFlight = Math.max(stats.peakRefreshInFlight, stats.refreshInFlight);
    }
    if (target) {
      target.refreshInFlight++;
      target.peakRefreshInFlight = Math.max(target.peakRefreshInFlight, target.refreshInFlight);
    }
    try {
      await sleep(fake.latencyMs);
      const auth = String(req.headers.authorization ?? '');
      if (!auth) return err(401, 'missing_auth_header', 'Authentication failed. The request is missing the Authorization header.');
      if (bearerToken(req) !== state.secretKey) return err(401, 'unknown_account', 'No account found with the provided secret key.');
      return await handler(req);
    } finally {
      stats.inFlight--;
      if (refreshing) stats.refreshInFlight--;
      if (target) target.refreshInFlight--;
    }
  };

/** The connection, or Nango's answer when the integration or the connection is unknown. */
export function findConnection(state: NangoState, pck: string | undefined, cid: string): FakeReply | FakeNangoConnection {
  if (!pck) {
    return err(400, 'invalid_query_params', 'Invalid query params', {
      errors: [{ code: 'invalid_type', message: 'Required', path: ['provider_config_key'] }],
    });
  }
  if (!state.integrations.has(pck)) return err(404, 'unknown_provider_config', `Integration "${pck}" does not exist`);
  const c = state.connections.get(key(pck, cid));
  if (!c) return err(404, 'not_found', 'Connection not found');
  return c;
}
