/**
 * `* /proxy/<provider path>` (Connection-Id, Provider-Config-Key headers) → the provider's answer,
 * from the records seeded with setQuickBooksData / setHubSpotData; rateLimitProxy makes the next
 * calls answer 429 with Retry-After.
 */
import { FakeReply, FakeRequest, FakeRoutes } from '../fake-server';
import { HubSpotData, QuickBooksData } from './provider-data';
import { api, err, findConnection, NangoState } from './state';
import { FakeNangoConnection, NangoFake } from './types';

const qbFault = (status: number, message: string, detail: string, code: string): FakeReply => ({
  status,
  body: {
    Fault: { Error: [{ Message: message, Detail: detail, code }], type: status === 400 ? 'ValidationFault' : 'AuthorizationFault' },
    time: new Date().toISOString(),
  },
});

function quickbooks(state: NangoState, c: FakeNangoConnection, path: string, req: FakeRequest): FakeReply {
  const m = /^\/v3\/company\/([^/]+)\/query$/.exec(path);
  if (!m || req.method !== 'GET') return qbFault(400, 'Unsupported Operation', `Operation ${req.method} ${path} is not supported.`, '500');
  if (m[1] !== String(c.connectionConfig.realmId))
    return qbFault(403, 'ApplicationAuthorizationFailed', 'realmId does not match the connection', '003100');
  const q = /^select \* from (\w+)(?:\s+startposition\s+(\d+))?(?:\s+maxresults\s+(\d+))?\s*$/i.exec(String(req.query.query ?? '').trim());
  if (!q) return qbFault(400, 'Error parsing query', `QueryParserError: Encountered an unsupported query: ${req.query.query}`, '4000');
  const object = (['Customer', 'Item', 'Department'] as const).find((o) => o.toLowerCase() === q[1].toLowerCase());
  if (!object) return qbFault(400, 'Error parsing query', `QueryValidationError: Invalid entity ${q[1]}`, '4001');
  const start = Number(q[2] ?? 1);
  const max = Math.min(Number(q[3] ?? 100), 1000);
  const all = state.qbData.get(c.connectionId)?.[object] ?? [];
  const slice = all.slice(start - 1, start - 1 + max);
  // QuickBooks leaves the object key out when nothing matches.
  const QueryResponse = slice.length ? { [object]: slice, startPosition: start, maxResults: slice.length } : {};
  return { body: { QueryResponse, time: new Date().toISOString() } };
}

function hubspot(state: NangoState, c: FakeNangoConnection, path: string, req: FakeRequest): FakeReply {
  const m = /^\/crm\/v3\/objects\/(contacts|products)$/.exec(path);
  if (!m || req.method !== 'GET')
    return { status: 404, body: { status: 'error', message: `Unable to route ${req.method} ${path}`, category: 'OBJECT_NOT_FOUND' } };
  const limit = Number(req.query.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return { status: 400, body: { status: 'error', message: 'limit must be between 1 and 100', category: 'VALIDATION_ERROR' } };
  const after = Number(req.query.after ?? 0);
  const all = state.hsData.get(c.connectionId)?.[m[1] as 'contacts' | 'products'] ?? [];
  const results = all.slice(after, after + limit);
  const next = after + limit < all.length ? String(after + limit) : undefined;
  return {
    body: {
      results,
      ...(next ? { paging: { next: { after: next, link: `https://api.hubapi.com/crm/v3/objects/${m[1]}?after=${next}` } } } : {}),
    },
  };
}

export function proxyRoutes(state: NangoState): FakeRoutes {
  return {
    '* /proxy/*': api(state, (req) => {
      state.stats.proxyCalls++;
      if (state.proxyLimited.times > 0) {
        state.proxyLimited.times--;
        return { ...err(429, 'too_many_request', 'Too many requests'), headers: { 'retry-after': String(state.proxyLimited.retryAfter) } };
      }
      const cid = req.headers['connection-id'];
      const pck = req.headers['provider-config-key'];
      if (typeof cid !== 'string' || !cid) return err(400, 'missing_connection_id', 'Missing Connection-Id header');
      if (typeof pck !== 'string' || !pck) return err(400, 'missing_provider_config_key', 'Missing Provider-Config-Key header');
      const found = findConnection(state, pck, cid);
      if (!('connectionId' in found)) return found;
      const path = req.path.replace(/^\/proxy/, '');
      if (found.provider.startsWith('quickbooks')) return quickbooks(state, found, path, req);
      if (found.provider === 'hubspot') return hubspot(state, found, path, req);
      return { status: 404, body: { message: `fake provider ${found.provider} has no ${path}` } };
    }),
  };
}

export function proxyMethods(state: NangoState): Pick<NangoFake, 'setQuickBooksData' | 'setHubSpotData' | 'rateLimitProxy'> {
  return {
    setQuickBooksData(connectionId: string, data: QuickBooksData) {
      state.qbData.set(connectionId, data);
    },
    setHubSpotData(connectionId: string, data: HubSpotData) {
      state.hsData.set(connectionId, data);
    },
    rateLimitProxy(times: number, retryAfterSeconds = 1) {
      state.proxyLimited = { times, retryAfter: retryAfterSeconds };
    },
  };
}
