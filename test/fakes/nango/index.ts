/**
 * Nango (cloud `https://api.nango.dev`, self-hosted `:3003`) as the official `@nangohq/node`
 * client sees it. The client uses the plural `/connections` paths; the singular ones from the
 * public docs answer the same.
 *
 *   GET    /health                          → { result: "ok" } (no auth)
 *   POST   /connect/sessions                → connect-sessions.ts
 *   GET    /connection(s)/:id?provider_config_key=&force_refresh=&refresh_token=  → tokens.ts
 *   GET    /connection(s)?…, DELETE /connection(s)/:id?provider_config_key=      → connections.ts
 *   *      /proxy/<provider path>           → proxy.ts (QuickBooks, HubSpot records)
 *   webhooks Flowgate receives              → webhooks.ts
 *
 * Auth: `Authorization: Bearer <API key>`; missing → 401 missing_auth_header, wrong → 401
 * unknown_account. Errors are `{ error: { code, message, errors?, payload? } }` (state.ts).
 */
import { randomBytes } from 'node:crypto';
import { startFake } from '../fake-server';
import { connectSessionMethods, connectSessionRoutes } from './connect-sessions';
import { connectionMethods, connectionRoutes } from './connections';
import { proxyMethods, proxyRoutes } from './proxy';
import { NangoState } from './state';
import { tokenRoutes } from './tokens';
import { NangoFake, NangoFakeStats } from './types';
import { webhookMethods } from './webhooks';

export * from './provider-data';
export type { AuthOperation, FakeNangoConnection, NangoFake, NangoFakeStats, RefreshBehaviour } from './types';

const zeroStats = (): NangoFakeStats => ({
  inFlight: 0,
  peakInFlight: 0,
  refreshInFlight: 0,
  peakRefreshInFlight: 0,
  forcedRefreshes: 0,
  proxyCalls: 0,
});

export async function startNangoFake(opts: { secretKey?: string; webhookSecret?: string; latencyMs?: number } = {}): Promise<NangoFake> {
  const state: NangoState = {
    secretKey: opts.secretKey ?? `nango-secret-${randomBytes(8).toString('hex')}`,
    webhookSecret: opts.webhookSecret ?? `nango-webhook-${randomBytes(8).toString('hex')}`,
    integrations: new Map(),
    connections: new Map(),
    sessions: new Map(),
    qbData: new Map(),
    hsData: new Map(),
    stats: zeroStats(),
    nextId: 1,
    proxyLimited: { times: 0, retryAfter: 1 },
    fake: undefined as unknown as NangoFake, // set below, before the caller can send a request
  };

  const server = await startFake({
    'GET /health': () => ({ body: { result: 'ok' } }),
    ...connectSessionRoutes(state),
    ...tokenRoutes(state),
    ...connectionRoutes(state),
    ...proxyRoutes(state),
  });

  state.fake = Object.assign(server, {
    secretKey: state.secretKey,
    webhookSecret: state.webhookSecret,
    latencyMs: opts.latencyMs ?? 0,
    integrations: state.integrations,
    connections: state.connections,
    sessions: state.sessions,
    stats: state.stats,
    recordRequests: true,
    ...connectionMethods(state),
    ...connectSessionMethods(state),
    ...proxyMethods(state),
    ...webhookMethods(state),
    resetStats() {
      Object.assign(state.stats, zeroStats());
    },
  });
  return state.fake;
}
