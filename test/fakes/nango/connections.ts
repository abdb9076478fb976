/**
 * GET /connection(s)?connectionId=&search=&endUserId=&integrationId=&tags[k]=v&limit=&page= and
 * DELETE /connection(s)/:id, plus the test-side helpers that seed integrations and connections.
 * The list filters with `tags[key]=value` (all must match) and rejects unknown query parameters
 * (400 invalid_query_params), like the real API.
 */
import { randomBytes } from 'node:crypto';
import { FakeRoutes } from '../fake-server';
import { api, err, findConnection, key, NangoState } from './state';
import { normaliseTags } from './tags';
import { FakeNangoConnection, NangoFake } from './types';

const LIST_QUERY = new Set(['connectionId', 'search', 'endUserId', 'integrationId', 'endUserOrganizationId', 'limit', 'page']);

export function connectionRoutes(state: NangoState): FakeRoutes {
  const listConnections = api(state, (req) => {
    const filterTags: Record<string, string> = {};
    const unknown: string[] = [];
    for (const [k, v] of Object.entries(req.query)) {
      const tag = /^tags\[(.+)\]$/.exec(k);
      if (tag) filterTags[tag[1]] = v;
      else if (!LIST_QUERY.has(k)) unknown.push(k);
    }
    const { tags: wanted, issues } = normaliseTags(filterTags, ['tags']);
    const limit = Number(req.query.limit ?? 100);
    if (unknown.length)
      issues.push({
        code: 'unrecognized_keys',
        message: `Unrecognized key(s) in object: ${unknown.map((u) => `'${u}'`).join(', ')}`,
        path: [],
      });
    if (!Number.isFinite(limit) || limit < 1 || limit > 2000)
      issues.push({ code: 'too_big', message: 'limit must be between 1 and 2000', path: ['limit'] });
    if (issues.length) return err(400, 'invalid_query_params', 'Invalid query params', { errors: issues });
    const page = Number(req.query.page ?? 0) || 0;
    let list = [...state.connections.values()];
    if (req.query.connectionId) list = list.filter((c) => c.connectionId === req.query.connectionId);
    if (req.query.search) list = list.filter((c) => c.connectionId.includes(req.query.search));
    if (req.query.endUserId) list = list.filter((c) => c.endUser?.id === req.query.endUserId);
    if (req.query.endUserOrganizationId) list = list.filter((c) => c.endUser?.organization?.id === req.query.endUserOrganizationId);
    if (req.query.integrationId) {
      const ids = req.query.integrationId.split(',').map((i) => i.trim());
      list = list.filter((c) => ids.includes(c.providerConfigKey));
    }
    list = list.filter((c) => Object.entries(wanted).every(([k, v]) => c.tags[k] === v));
    list = list.slice(page * limit, page * limit + limit);
    return {
      body: {
        connections: list.map((c) => ({
          id: c.id,
          connection_id: c.connectionId,
          provider_config_key: c.providerConfigKey,
          provider: c.provider,
          created: c.createdAt,
          metadata: c.metadata,
          errors: c.errors,
          end_user: c.endUser,
          tags: c.tags,
        })),
      },
    };
  });

  const deleteConnection = api(state, (req) => {
    const found = findConnection(state, req.query.provider_config_key, req.params.id);
    if (!('connectionId' in found)) return found;
    state.connections.delete(key(found.providerConfigKey, found.connectionId));
    return { body: { success: true } };
  });

  return {
    'GET /connections': listConnections,
    'GET /connection': listConnections,
    'DELETE /connections/:id': deleteConnection,
    'DELETE /connection/:id': deleteConnection,
  };
}

export function connectionMethods(state: NangoState): Pick<NangoFake, 'addIntegration' | 'addConnection' | 'connection'> {
  const { integrations, connections } = state;
  return {
    addIntegration(uniqueKey: string, provider = uniqueKey) {
      integrations.set(uniqueKey, { provider });
    },
    addConnection(c: Partial<FakeNangoConnection> & { connectionId: string; providerConfigKey: string }) {
      if (!integrations.has(c.providerConfigKey)) integrations.set(c.providerConfigKey, { provider: c.providerConfigKey });
      const now = new Date().toISOString();
      const conn: FakeNangoConnection = {
        id: state.nextId++,
        provider: integrations.get(c.providerConfigKey)!.provider,
        createdAt: now,
        updatedAt: now,
        endUser: null,
        tags: {},
        connectionConfig: {},
        metadata: null,
        accessToken: `at-${randomBytes(12).toString('hex')}`,
        refreshToken: `rt-${randomBytes(12).toString('hex')}`,
        expiresAt: new Date(Date.now() + 3600_000),
        refresh: 'ok',
        errors: [],
        forcedRefreshes: 0,
        refreshInFlight: 0,
        peakRefreshInFlight: 0,
        ...c,
      };
      connections.set(key(conn.providerConfigKey, conn.connectionId), conn);
      return conn;
    },
    connection(pck: string, cid: string) {
      return connections.get(key(pck, cid));
    },
  };
}
