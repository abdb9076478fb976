import { Inject, Injectable, Logger } from '@nestjs/common';
import { Nango } from '@nangohq/node';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Counter } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { MetricsService } from '../../core/metrics/metrics.service';
import { NangoError, toNangoError } from './nango.errors';
import { assertNangoConfigured } from './nango-settings';
import { ConnectSession, NangoConnectionInfo, NangoConnectionSummary, ProxyRequest } from './nango.types';

/** How long a proxied call waits for Nango's Retry-After before giving up (per attempt). */
const MAX_RETRY_AFTER_SECONDS = 30;
const PROXY_ATTEMPTS = 3;

type RawConnection = {
  connection_id: string;
  provider_config_key: string;
  provider: string;
  created_at?: string;
  created?: string;
  connection_config?: Record<string, unknown> | null;
  metadata?: Record<string, unknown> | null;
  errors?: Array<{ type: string }> | null;
  end_user?: {
    id: string;
    display_name?: string | null;
    email?: string | null;
    organization?: { id: string; display_name?: string | null } | null;
  } | null;
  tags?: Record<string, string> | null;
  credentials?: { type?: string; access_token?: string; expires_at?: string | Date | null } | null;
};

/**
 * The one way Flowgate talks to Nango: the official `@nangohq/node` client pointed at
 * NANGO_HOST, with every failure mapped to a NangoError. Tokens never leave this class
 * except through `getAccessToken`, whose caller uses the value for one outbound call.
 * Nothing here logs request headers, bodies or credentials.
 */
@Injectable()
export class NangoClient {
  private readonly logger = new Logger(NangoClient.name);
  private sdk?: Nango;
  private readonly calls: Counter<'operation' | 'outcome'>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.calls = metrics.counter('flowgate_nango_requests_total', 'Calls to Nango by operation and outcome', ['operation', 'outcome']);
  }

  get host(): string | undefined {
    return this.config.nango.host;
  }

  /**
   * A connect session identified by connection tags only (`end_user` / `organization` are
   * deprecated): Nango copies the tags onto the connection it creates, answers them on
   * GET/list and sends them in the auth webhooks. Nango chooses the connection id.
   */
  async createConnectSession(input: { allowedIntegrations: string[]; tags: Record<string, string> }): Promise<ConnectSession> {
    const res = await this.call('create_connect_session', (n) =>
      n.createConnectSession({ tags: input.tags, allowed_integrations: input.allowedIntegrations }),
    );
    const data = (res as { data: { token: string; expires_at: string; connect_link?: string } }).data;
    return { token: data.token, expiresAt: data.expires_at, connectLink: data.connect_link ?? null };
  }

  /** Loads a connection (Nango refreshes lazily if the token is about to expire). */
  async getConnection(providerConfigKey: string, connectionId: string): Promise<NangoConnectionInfo> {
    const raw = await this.call('get_connection', (n) => n.getConnection(providerConfigKey, connectionId, false, false));
    return toInfo(raw as unknown as RawConnection);
  }

  /** Asks Nango to refresh the token now (`force_refresh=true`); answers the new expiry. */
  async refreshConnection(providerConfigKey: string, connectionId: string): Promise<NangoConnectionInfo> {
    const raw = await this.call('refresh_connection', (n) => n.getConnection(providerConfigKey, connectionId, true, false));
    return toInfo(raw as unknown as RawConnection);
  }

  /**
   * A fresh access token for one outbound call (a workflow step acting in a customer's
   * account). The caller must not store, log or return it.
   */
  async getAccessToken(
    providerConfigKey: string,
    connectionId: string,
  ): Promise<{ accessToken: string; connectionConfig: Record<string, unknown> }> {
    const raw = (await this.call('get_token', (n) =>
      n.getConnection(providerConfigKey, connectionId, false, false),
    )) as unknown as RawConnection;
    const token = raw.credentials?.access_token;
    if (!token)
      throw new NangoError(
        422,
        'no_access_token',
        `connection ${connectionId} has no OAuth access token (auth type ${raw.credentials?.type ?? 'unknown'})`,
      );
    return { accessToken: token, connectionConfig: raw.connection_config ?? {} };
  }

  /** Every connection of the environment, page by page (for the revoked-connection cleanup). */
  async listAllConnections(pageSize = 500): Promise<NangoConnectionSummary[]> {
    const out: NangoConnectionSummary[] = [];
    for (let page = 0; ; page++) {
      const res = await this.call('list_connections', (n) => n.listConnections(undefined, undefined, { limit: pageSize, page }));
      const list = ((res as { connections?: RawConnection[] }).connections ?? []).map(toSummary);
      out.push(...list);
      if (list.length < pageSize) return out;
    }
  }

  /**
   * The integration's connections carrying every one of `tags` (Nango's `tags[key]=value`
   * filter on GET /connections), newest first.
   */
  async findConnectionsByTags(integrationId: string, tags: Record<string, string>): Promise<NangoConnectionSummary[]> {
    const res = await this.call('list_connections', (n) => n.listConnections({ integrationId, tags, limit: 100 }));
    const list = ((res as { connections?: RawConnection[] }).connections ?? []).map(toSummary);
    return list.sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''));
  }

  /** Deletes the connection at Nango; a connection Nango no longer has counts as deleted. */
  async deleteConnection(providerConfigKey: string, connectionId: string): Promise<'deleted' | 'already_gone'> {
    try {
      await this.call('delete_connection', (n) => n.deleteConnection(providerConfigKey, connectionId));
      return 'deleted';
    } catch (e) {
      if (e instanceof NangoError && e.status === 404 && e.code === 'not_found') return 'already_gone';
      throw e;
    }
  }

  /**
   * GET through Nango's proxy: Nango adds the provider token, Flowgate never sees it. A 429
   * (from Nango or the provider) is retried after its Retry-After, a few times.
   */
  async proxyGet<T>(req: ProxyRequest): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.call('proxy', (n) =>
          n.get({ endpoint: req.endpoint, providerConfigKey: req.providerConfigKey, connectionId: req.connectionId, params: req.params }),
        );
        return (res as { data: T }).data;
      } catch (e) {
        const err = toNangoError(e);
        if (err.status !== 429 || attempt >= PROXY_ATTEMPTS) throw err;
        const wait = Math.min(err.retryAfterSeconds ?? 1, MAX_RETRY_AFTER_SECONDS);
        this.logger.warn(`Nango proxy rate limited (${req.providerConfigKey}); retrying in ${wait}s`);
        await new Promise((r) => setTimeout(r, wait * 1000));
      }
    }
  }

  /** Reachability and key check for health: one tiny authenticated call. */
  async ping(): Promise<void> {
    await this.call('ping', (n) => n.listConnections(undefined, undefined, { limit: 1 }));
  }

  /**
   * `X-Nango-Hmac-Sha256`: hex HMAC-SHA256 of the raw body with the webhook signing key, compared
   * in constant time (the same check as the client's verifyIncomingWebhookRequest, done on the
   * exact bytes so no re-encoding can change them). Needs only NANGO_WEBHOOK_SECRET.
   */
  verifyWebhookSignature(rawBody: Buffer, signature: string | undefined): boolean {
    assertNangoConfigured(this.config, ['webhook']);
    if (!signature || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
    const expected = createHmac('sha256', this.config.nango.webhookSecret!).update(rawBody).digest();
    return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
  }

  private nango(): Nango {
    assertNangoConfigured(this.config, ['api']);
    this.sdk ??= createNangoSdk(this.config.nango.host!, this.config.nango.secretKey!, this.config.nango.timeoutMs);
    return this.sdk;
  }

  private async call<T>(operation: string, fn: (n: Nango) => Promise<T>): Promise<T> {
    const client = this.nango();
    try {
      const out = await fn(client);
      this.calls.inc({ operation, outcome: 'ok' });
      return out;
    } catch (e) {
      const err = toNangoError(e);
      this.calls.inc({ operation, outcome: err.status ? String(err.status) : err.code });
      throw err;
    }
  }
}

/**
 * The official client with the environment's API key as `apiKey` (the `secretKey` option is
 * deprecated; both end up as `Authorization: Bearer <key>`).
 */
export function createNangoSdk(host: string, apiKey: string, timeoutMs: number): Nango {
  const sdk = new Nango({ host, apiKey });
  sdk.http.defaults.timeout = timeoutMs;
  return sdk;
}

function toSummary(c: RawConnection): NangoConnectionSummary {
  return {
    connectionId: c.connection_id,
    providerConfigKey: c.provider_config_key,
    provider: c.provider,
    errors: (c.errors ?? []).map((e) => ({ type: e.type })),
    createdAt: c.created ?? c.created_at,
    tags: c.tags ?? {},
  };
}

function toInfo(c: RawConnection): NangoConnectionInfo {
  const expires = c.credentials?.expires_at ? new Date(c.credentials.expires_at) : null;
  return {
    connectionId: c.connection_id,
    providerConfigKey: c.provider_config_key,
    provider: c.provider,
    createdAt: c.created_at ?? c.created,
    tokenExpiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : null,
    connectionConfig: c.connection_config ?? {},
    metadata: c.metadata ?? {},
    errors: (c.errors ?? []).map((e) => ({ type: e.type })),
    endUser: c.end_user
      ? {
          id: c.end_user.id,
          displayName: c.end_user.display_name ?? null,
          email: c.end_user.email ?? null,
          organizationId: c.end_user.organization?.id ?? null,
          organizationName: c.end_user.organization?.display_name ?? null,
        }
      : null,
    tags: c.tags ?? {},
  };
}
