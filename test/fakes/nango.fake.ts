/**
 * Nango (cloud `https://api.nango.dev`, self-hosted `:3003`) as the official `@nangohq/node`
 * client sees it. The client uses the plural `/connections` paths; the singular ones from the
 * public docs answer the same.
 *
 *   GET    /health                          → { result: "ok" } (no auth)
 *   POST   /connect/sessions                → { data: { token, connect_link, expires_at } } (30 min)
 *   GET    /connection(s)/:id?provider_config_key=&force_refresh=&refresh_token=
 *   GET    /connection(s)?connectionId=&search=&endUserId=&integrationId=&tags[k]=v&limit=&page=
 *                                            → { connections: [...] }
 *   DELETE /connection(s)/:id?provider_config_key=  → { success: true }
 *   *      /proxy/<provider path>  (Connection-Id, Provider-Config-Key headers) → the provider's answer
 *
 * Auth: `Authorization: Bearer <API key>`; missing → 401 missing_auth_header, wrong → 401
 * unknown_account. Errors are `{ error: { code, message, errors?, payload? } }`.
 * Connect sessions carry connection tags (keys start with a letter, `[A-Za-z0-9_-./]`, at most
 * 64 characters, lowercased; values 1..200 characters; at most 10; `end_user_email` must be an
 * email); the deprecated `end_user` / `organization` become tags too (end_user_id,
 * end_user_email, end_user_display_name, organization_id, organization_display_name; explicit
 * tags win). Finishing the Connect UI creates a connection whose id Nango chooses (a random
 * UUID) and which carries the session's tags; nothing is redirected anywhere with that id.
 * GET /connections filters with `tags[key]=value` (all must match) and rejects unknown query
 * parameters (400 invalid_query_params), like the real API.
 * Refresh (force_refresh=true, or lazily within 15 minutes of expiry) follows each
 * connection's `refresh` behaviour: ok | invalid (400 invalid_credentials, the provider
 * refused) | exhausted (424 invalid_credentials) | error (500) | error_once (500, then ok).
 * Webhooks: the body is serialised with sorted keys (as Nango does), signed with
 * `X-Nango-Hmac-Sha256`; Nango sends no delivery id or timestamp header.
 * Assumption (not verified against the real server): an unknown integration in
 * `allowed_integrations` answers 400 invalid_body naming `allowed_integrations.N` with
 * "Integration does not exist".
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { bearerToken } from './auth-headers';
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';
import { HubSpotData, QuickBooksData } from './nango-provider-data';

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

interface FakeSession {
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

const err = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): FakeReply => ({
  status,
  body: { error: { code, message, ...extra } },
});
const key = (pck: string, cid: string) => `${pck}\u0000${cid}`;
const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** zod's email check, which Nango applies to the `end_user_email` tag. */
const TAG_EMAIL = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

type Issue = { code: string; message: string; path: Array<string | number> };

/** Nango's connection-tag rules; answers the normalised tags (keys lowercased) or the issues. */
function normaliseTags(input: unknown, path: string[]): { tags: Record<string, string>; issues: Issue[] } {
  const issues: Issue[] = [];
  const tags: Record<string, string> = {};
  if (input === undefined) return { tags, issues };
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return { tags, issues: [{ code: 'invalid_type', message: 'Expected object', path }] };
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > 10) issues.push({ code: 'custom', message: 'Tags can have at most 10 keys', path });
  for (const [k, v] of entries) {
    if (!/^[A-Za-z][A-Za-z0-9_\-./]*$/.test(k) || k.length > 64)
      issues.push({ code: 'custom', message: `Invalid tag key "${k}"`, path: [...path, k] });
    if (typeof v !== 'string' || !v || v.length > 200)
      issues.push({ code: 'custom', message: 'Tag values must be 1 to 200 characters', path: [...path, k] });
    const lower = k.toLowerCase();
    if (lower in tags)
      issues.push({ code: 'custom', message: `Duplicate tag key after case normalization: "${lower}"`, path: [...path, k] });
    if (lower === 'end_user_email' && typeof v === 'string' && !TAG_EMAIL.test(v))
      issues.push({ code: 'custom', message: 'Invalid email', path: [...path, k] });
    tags[lower] = String(v);
  }
  return { tags, issues };
}

/** Tags Nango derives from the deprecated end_user / organization (explicit tags override them). */
function tagsFromEndUser(endUser: FakeSession['endUser'], organization: FakeSession['organization']): Record<string, string> {
  const out: Record<string, string> = {};
  if (endUser) {
    out.end_user_id = endUser.id;
    if (endUser.email) out.end_user_email = endUser.email;
    if (endUser.display_name) out.end_user_display_name = endUser.display_name;
  }
  if (organization) {
    out.organization_id = organization.id;
    if (organization.display_name) out.organization_display_name = organization.display_name;
  }
  return { ...out, ...(endUser?.tags ?? {}) };
}

/** JSON with object keys sorted at every level: how Nango serialises webhook bodies. */
function stableStringify(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

const LIST_QUERY = new Set(['connectionId', 'search', 'endUserId', 'integrationId', 'endUserOrganizationId', 'limit', 'page']);

export async function startNangoFake(opts: { secretKey?: string; webhookSecret?: string; latencyMs?: number } = {}): Promise<NangoFake> {
  const secretKey = opts.secretKey ?? `nango-secret-${randomBytes(8).toString('hex')}`;
  const webhookSecret = opts.webhookSecret ?? `nango-webhook-${randomBytes(8).toString('hex')}`;
  const integrations = new Map<string, { provider: string }>();
  const connections = new Map<string, FakeNangoConnection>();
  const sessions = new Map<string, FakeSession>();
  const qbData = new Map<string, QuickBooksData>();
  const hsData = new Map<string, HubSpotData>();
  const stats: NangoFakeStats = {
    inFlight: 0,
    peakInFlight: 0,
    refreshInFlight: 0,
    peakRefreshInFlight: 0,
    forcedRefreshes: 0,
    proxyCalls: 0,
  };
  let nextId = 1;
  let proxyLimited: { times: number; retryAfter: number } = { times: 0, retryAfter: 1 };
  let fake: NangoFake;

  const publicConnection = (c: FakeNangoConnection) => ({
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
  const api =
    (handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>) =>
    async (req: FakeRequest): Promise<FakeReply> => {
      if (!fake.recordRequests) fake.requests.length = 0;
      // Forced refreshes are counted in flight for the whole request, latency included.
      const refreshing = req.query.force_refresh === 'true';
      const target = refreshing ? connections.get(key(String(req.query.provider_config_key), req.params.id ?? '')) : undefined;
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
        if (bearerToken(req) !== secretKey) return err(401, 'unknown_account', 'No account found with the provided secret key.');
        return await handler(req);
      } finally {
        stats.inFlight--;
        if (refreshing) stats.refreshInFlight--;
        if (target) target.refreshInFlight--;
      }
    };

  const findConnection = (req: FakeRequest, pck: string | undefined, cid: string): FakeReply | FakeNangoConnection => {
    if (!pck) {
      return err(400, 'invalid_query_params', 'Invalid query params', {
        errors: [{ code: 'invalid_type', message: 'Required', path: ['provider_config_key'] }],
      });
    }
    if (!integrations.has(pck)) return err(404, 'unknown_provider_config', `Integration "${pck}" does not exist`);
    const c = connections.get(key(pck, cid));
    if (!c) return err(404, 'not_found', 'Connection not found');
    return c;
  };

  /** Refresh as Nango does it: a provider call, with the connection's behaviour. */
  const refresh = async (c: FakeNangoConnection, forced: boolean): Promise<FakeReply | undefined> => {
    if (forced) {
      c.forcedRefreshes++;
      stats.forcedRefreshes++;
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
  };

  const getConnection = api(async (req) => {
    const found = findConnection(req, req.query.provider_config_key, req.params.id);
    if (!('connectionId' in found)) return found;
    const forced = req.query.force_refresh === 'true';
    // Nango counts a token as expired 15 minutes early and refreshes lazily.
    if (forced || found.expiresAt.getTime() - 15 * 60_000 < Date.now()) {
      const failed = await refresh(found, forced);
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

  const listConnections = api((req) => {
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
    let list = [...connections.values()];
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

  const deleteConnection = api((req) => {
    const found = findConnection(req, req.query.provider_config_key, req.params.id);
    if (!('connectionId' in found)) return found;
    connections.delete(key(found.providerConfigKey, found.connectionId));
    return { body: { success: true } };
  });

  const proxy = api((req) => {
    stats.proxyCalls++;
    if (proxyLimited.times > 0) {
      proxyLimited.times--;
      return { ...err(429, 'too_many_request', 'Too many requests'), headers: { 'retry-after': String(proxyLimited.retryAfter) } };
    }
    const cid = req.headers['connection-id'];
    const pck = req.headers['provider-config-key'];
    if (typeof cid !== 'string' || !cid) return err(400, 'missing_connection_id', 'Missing Connection-Id header');
    if (typeof pck !== 'string' || !pck) return err(400, 'missing_provider_config_key', 'Missing Provider-Config-Key header');
    const found = findConnection(req, pck, cid);
    if (!('connectionId' in found)) return found;
    const path = req.path.replace(/^\/proxy/, '');
    if (found.provider.startsWith('quickbooks')) return quickbooks(found, path, req);
    if (found.provider === 'hubspot') return hubspot(found, path, req);
    return { status: 404, body: { message: `fake provider ${found.provider} has no ${path}` } };
  });

  const qbFault = (status: number, message: string, detail: string, code: string): FakeReply => ({
    status,
    body: {
      Fault: { Error: [{ Message: message, Detail: detail, code }], type: status === 400 ? 'ValidationFault' : 'AuthorizationFault' },
      time: new Date().toISOString(),
    },
  });

  function quickbooks(c: FakeNangoConnection, path: string, req: FakeRequest): FakeReply {
    const m = /^\/v3\/company\/([^/]+)\/query$/.exec(path);
    if (!m || req.method !== 'GET')
      return qbFault(400, 'Unsupported Operation', `Operation ${req.method} ${path} is not supported.`, '500');
    if (m[1] !== String(c.connectionConfig.realmId))
      return qbFault(403, 'ApplicationAuthorizationFailed', 'realmId does not match the connection', '003100');
    const q = /^select \* from (\w+)(?:\s+startposition\s+(\d+))?(?:\s+maxresults\s+(\d+))?\s*$/i.exec(
      String(req.query.query ?? '').trim(),
    );
    if (!q) return qbFault(400, 'Error parsing query', `QueryParserError: Encountered an unsupported query: ${req.query.query}`, '4000');
    const object = (['Customer', 'Item', 'Department'] as const).find((o) => o.toLowerCase() === q[1].toLowerCase());
    if (!object) return qbFault(400, 'Error parsing query', `QueryValidationError: Invalid entity ${q[1]}`, '4001');
    const start = Number(q[2] ?? 1);
    const max = Math.min(Number(q[3] ?? 100), 1000);
    const all = qbData.get(c.connectionId)?.[object] ?? [];
    const slice = all.slice(start - 1, start - 1 + max);
    // QuickBooks leaves the object key out when nothing matches.
    const QueryResponse = slice.length ? { [object]: slice, startPosition: start, maxResults: slice.length } : {};
    return { body: { QueryResponse, time: new Date().toISOString() } };
  }

  function hubspot(c: FakeNangoConnection, path: string, req: FakeRequest): FakeReply {
    const m = /^\/crm\/v3\/objects\/(contacts|products)$/.exec(path);
    if (!m || req.method !== 'GET')
      return { status: 404, body: { status: 'error', message: `Unable to route ${req.method} ${path}`, category: 'OBJECT_NOT_FOUND' } };
    const limit = Number(req.query.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return { status: 400, body: { status: 'error', message: 'limit must be between 1 and 100', category: 'VALIDATION_ERROR' } };
    const after = Number(req.query.after ?? 0);
    const all = hsData.get(c.connectionId)?.[m[1] as 'contacts' | 'products'] ?? [];
    const results = all.slice(after, after + limit);
    const next = after + limit < all.length ? String(after + limit) : undefined;
    return {
      body: {
        results,
        ...(next ? { paging: { next: { after: next, link: `https://api.hubapi.com/crm/v3/objects/${m[1]}?after=${next}` } } } : {}),
      },
    };
  }

  const server = await startFake({
    'GET /health': () => ({ body: { result: 'ok' } }),
    'POST /connect/sessions': api((req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const endUser = b.end_user as { id?: unknown; email?: string; display_name?: string; tags?: unknown } | undefined;
      const organization = b.organization as FakeSession['organization'] | undefined;
      const allowed = [
        'end_user',
        'organization',
        'allowed_integrations',
        'integrations_config_defaults',
        'overrides',
        'webhook_url_override',
        'tags',
      ];
      const errors: Issue[] = [];
      const extra = Object.keys(b).filter((k) => !allowed.includes(k));
      if (extra.length)
        errors.push({
          code: 'unrecognized_keys',
          message: `Unrecognized key(s) in object: ${extra.map((k) => `'${k}'`).join(', ')}`,
          path: [],
        });
      // Top-level tags make end_user optional.
      if (!endUser && b.tags === undefined) errors.push({ code: 'invalid_type', message: 'Required', path: ['end_user'] });
      if (endUser && (typeof endUser.id !== 'string' || !endUser.id))
        errors.push({ code: 'invalid_type', message: 'Required', path: ['end_user', 'id'] });
      const explicit = normaliseTags(b.tags, ['tags']);
      const fromEndUser = normaliseTags(endUser?.tags, ['end_user', 'tags']);
      errors.push(...explicit.issues, ...fromEndUser.issues);
      if (b.allowed_integrations !== undefined && !Array.isArray(b.allowed_integrations))
        errors.push({ code: 'invalid_type', message: 'Expected array', path: ['allowed_integrations'] });
      (Array.isArray(b.allowed_integrations) ? b.allowed_integrations : []).forEach((k: unknown, i: number) => {
        if (typeof k !== 'string' || !integrations.has(k))
          errors.push({ code: 'custom', message: 'Integration does not exist', path: ['allowed_integrations', i] });
      });
      if (errors.length) return err(400, 'invalid_body', 'Invalid request body', { errors });
      const token = `nango_connect_session_${randomBytes(16).toString('hex')}`;
      const expiresAt = new Date(Date.now() + 30 * 60_000);
      const sessionEndUser = endUser
        ? { id: endUser.id as string, email: endUser.email, display_name: endUser.display_name, tags: fromEndUser.tags }
        : null;
      sessions.set(token, {
        token,
        expiresAt,
        endUser: sessionEndUser,
        organization,
        allowedIntegrations: b.allowed_integrations as string[] | undefined,
        tags: { ...tagsFromEndUser(sessionEndUser, organization), ...explicit.tags },
      });
      return {
        status: 201,
        body: { data: { token, connect_link: `https://connect.nango.dev/?session_token=${token}`, expires_at: expiresAt.toISOString() } },
      };
    }),
    'GET /connections/:id': getConnection,
    'GET /connection/:id': getConnection,
    'GET /connections': listConnections,
    'GET /connection': listConnections,
    'DELETE /connections/:id': deleteConnection,
    'DELETE /connection/:id': deleteConnection,
    '* /proxy/*': proxy,
  });

  fake = Object.assign(server, {
    secretKey,
    webhookSecret,
    latencyMs: opts.latencyMs ?? 0,
    integrations,
    connections,
    sessions,
    stats,
    recordRequests: true,
    addIntegration(uniqueKey: string, provider = uniqueKey) {
      integrations.set(uniqueKey, { provider });
    },
    addConnection(c: Partial<FakeNangoConnection> & { connectionId: string; providerConfigKey: string }) {
      if (!integrations.has(c.providerConfigKey)) integrations.set(c.providerConfigKey, { provider: c.providerConfigKey });
      const now = new Date().toISOString();
      const conn: FakeNangoConnection = {
        id: nextId++,
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
    completeConnect(
      sessionToken: string,
      o: { integrationId?: string; connectionConfig?: Record<string, unknown>; metadata?: Record<string, unknown> } = {},
    ) {
      const s = sessions.get(sessionToken);
      if (!s || s.expiresAt.getTime() < Date.now()) throw new Error('fake Nango: unknown or expired connect session');
      const integrationId = o.integrationId ?? s.allowedIntegrations?.[0];
      if (!integrationId || (s.allowedIntegrations && !s.allowedIntegrations.includes(integrationId)))
        throw new Error('fake Nango: integration not allowed by the session');
      return fake.addConnection({
        connectionId: randomUUID(), // Nango chooses the id
        providerConfigKey: integrationId,
        endUser: s.endUser
          ? {
              id: s.endUser.id,
              email: s.endUser.email ?? null,
              display_name: s.endUser.display_name ?? null,
              organization: s.organization ? { id: s.organization.id, display_name: s.organization.display_name ?? null } : null,
              tags: s.endUser.tags ?? null,
            }
          : null,
        tags: { ...s.tags },
        connectionConfig: o.connectionConfig ?? {},
        metadata: o.metadata ?? null,
      });
    },
    setQuickBooksData(connectionId: string, data: QuickBooksData) {
      qbData.set(connectionId, data);
    },
    setHubSpotData(connectionId: string, data: HubSpotData) {
      hsData.set(connectionId, data);
    },
    rateLimitProxy(times: number, retryAfterSeconds = 1) {
      proxyLimited = { times, retryAfter: retryAfterSeconds };
    },
    signWebhook(rawBody: string) {
      return createHmac('sha256', webhookSecret).update(rawBody).digest('hex');
    },
    authWebhook(c: FakeNangoConnection, operation: AuthOperation, success = true) {
      return {
        from: 'nango',
        type: 'auth',
        operation,
        connectionId: c.connectionId,
        providerConfigKey: c.providerConfigKey,
        provider: c.provider,
        environment: 'dev',
        success,
        authMode: 'OAUTH2',
        ...(c.endUser
          ? {
              endUser: {
                endUserId: c.endUser.id,
                organizationId: c.endUser.organization?.id,
                endUserEmail: c.endUser.email,
                tags: c.endUser.tags ?? {},
              },
            }
          : {}),
        tags: c.tags,
        ...(success
          ? {}
          : {
              error: {
                type: operation === 'refresh' ? 'refresh_token_external_error' : 'unknown',
                description: 'The provider rejected the refresh token',
              },
            }),
      };
    },
    async sendWebhook(url: string, body: unknown, o: { signature?: string | null } = {}) {
      const raw = typeof body === 'string' ? body : stableStringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Nango' };
      const signature = o.signature === undefined ? fake.signWebhook(raw) : o.signature;
      if (signature !== null) headers['x-nango-hmac-sha256'] = signature;
      const res = await fetch(url, { method: 'POST', headers, body: raw });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* text */
      }
      return { status: res.status, body: parsed };
    },
    resetStats() {
      Object.assign(stats, { inFlight: 0, peakInFlight: 0, refreshInFlight: 0, peakRefreshInFlight: 0, forcedRefreshes: 0, proxyCalls: 0 });
    },
  });
  return fake;
}
