/**
 * GET /connection(s)/:id: the connection with its OAuth token. Refresh (force_refresh=true, or
 * lazily within 15 minutes of expiry) follows the connection's `refresh` behaviour: ok | invalid
 * (400 invalid_credentials, the provider refused) | exhausted (424 invalid_credentials) |
 * error (500) | error_once (500, then ok).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeReply, FakeRoutes } from '../fake-server';
import { api, err, findConnection, NangoState, publicConnection } from './state';
import { FakeNangoConnection } from './types';

/** Refresh as Nango does it: a provider call, with the connection's behaviour. */
async function refresh(state: NangoState, c: FakeNangoConnection, forced: boolean): Promise<FakeReply | undefined> {
  if (forced) {
    c.forcedRefreshes++;
    state.stats.forcedRefreshes++;
  }
  const behaviour = c.refresh;
  if (behaviour === 'error' || behaviour === 'error_once') {
    if (behaviour === 'error_once') c.refresh = 'ok';
    return err(500, 'server_error', 'An unexpected error occurred while refreshing the token');
  }
  if (behaviour === 'invalid' || !c.refreshToken) {
    c.errors = [{ type: 'auth', log_id: randomUUID() }];
    return err(
      400,
      'invalid_credentials',
      'The external API returned an error when trying to refresh the access token. Please try again later.',
      {
        payload: publicConnection(c),
      },
    );
  }
  if (behaviour === 'exhausted') {
    c.errors = [{ type: 'auth', log_id: randomUUID() }];
    return err(424, 'invalid_credentials', 'Failed to refresh token: refresh limit reached, the connection must be re-authorized');
  }
  c.accessToken = `at-${randomBytes(12).toString('hex')}`;
  c.expiresAt = new Date(Date.now() + 3600_000);
  c.updatedAt = new Date().toISOString();
  c.errors = [];
  return undefined;
}

export function tokenRoutes(state: NangoState): FakeRoutes {
  const getConnection = api(state, async (req) => {
    const found = findConnection(state, req.query.provider_config_key, req.params.id);
    if (!('connectionId' in found)) return found;
    const forced = req.query.force_refresh === 'true';
    // Nango counts a token as expired 15 minutes early and refreshes lazily.
    if (forced || found.expiresAt.getTime() - 15 * 60_000 < Date.now()) {
      const failed = await refresh(state, found, forced);
      if (failed) return failed;
    }
    return {
      body: {
        ...publicConnection(found),
        credentials: {
          type: 'OAUTH2',
          access_token: found.accessToken,
          ...(req.query.refresh_token === 'true' && found.refreshToken ? { refresh_token: found.refreshToken } : {}),
          expires_at: found.expiresAt.toISOString(),
          raw: {
            access_token: found.accessToken,
            token_type: 'bearer',
            expires_in: Math.round((found.expiresAt.getTime() - Date.now()) / 1000),
          },
        },
      },
    };
  });
  return { 'GET /connections/:id': getConnection, 'GET /connection/:id': getConnection };
}
