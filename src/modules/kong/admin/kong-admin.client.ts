import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { KongAdminError, kongNotConfigured, kongUnreachable, mapKongError } from './kong-admin.errors';
import { KongEntity, KongErrorBody, KongList, KongPlugin } from './kong-admin.types';

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

export interface KongCallOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** What the call is about, in the user's terms ("route flowgate-webhook-…"), for error messages. */
  what: string;
  /** Statuses the caller handles itself instead of an error (e.g. 404 on delete). */
  accept?: number[];
  /** Secret values in the body; scrubbed from any error message Kong echoes. */
  secrets?: string[];
  /**
   * A health probe: one attempt, nothing logged (the caller reports the outcome). Health
   * endpoints are polled; retrying with backoff and logging each failure made every poll of
   * /health/detailed take 300 ms and write three warnings while Kong was down.
   */
  probe?: boolean;
}

export interface KongAnswer<T> {
  status: number;
  body: T;
}

/** Where a plugin hangs: on a service, a route or a consumer (by name or id). */
export interface PluginScope {
  kind: 'services' | 'routes' | 'consumers';
  nameOrId: string;
  /** The scope entity's id, sent with PUT /plugins/{id} so the plugin stays attached. */
  id: string;
}

export interface DesiredPlugin {
  name: string;
  config: Record<string, unknown>;
  tags: string[];
  enabled?: boolean;
}

const IDEMPOTENT: ReadonlySet<Method> = new Set(['GET', 'PUT', 'DELETE']);

/**
 * The Kong Admin API client. It talks to an operator-configured internal address
 * (`KONG_ADMIN_URL`, typically loopback or a private network), so it deliberately does not go
 * through the SSRF-guarded outbound client used for connectors: that guard exists to stop
 * tenant-supplied URLs from reaching internal addresses, and this URL is never tenant input.
 * Plain fetch with a per-call timeout; only idempotent verbs are retried, on network errors
 * and 5xx. Request bodies are never logged (they carry keys and shared secrets).
 */
@Injectable()
export class KongAdminClient {
  private readonly logger = new Logger(KongAdminClient.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get configured(): boolean {
    return !!this.config.kong.adminUrl;
  }

  get mode(): 'db' | 'dbless' {
    return this.config.kong.mode;
  }

  get adminUrl(): string | undefined {
    return this.config.kong.adminUrl;
  }

  async request<T = unknown>(method: Method, path: string, opts: KongCallOptions): Promise<KongAnswer<T>> {
    const base = this.config.kong.adminUrl;
    if (!base) throw kongNotConfigured();
    const url = new URL(path.startsWith('/') ? path : `/${path}`, `${base}/`);
    // Keep any path prefix in KONG_ADMIN_URL (an Admin API mounted behind a proxy path).
    const prefix = new URL(`${base}/`).pathname.replace(/\/$/, '');
    if (prefix && !url.pathname.startsWith(prefix)) url.pathname = `${prefix}${url.pathname}`;
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);

    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (this.config.kong.adminToken) headers['kong-admin-token'] = this.config.kong.adminToken;

    const attempts = IDEMPOTENT.has(method) && !opts.probe ? this.config.kong.adminRetries + 1 : 1;
    const warn = (message: string) => (opts.probe ? undefined : this.logger.warn(message));
    let lastProblem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(100 * 2 ** (attempt - 2));
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method,
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: AbortSignal.timeout(this.config.kong.adminTimeoutMs),
        });
        text = await res.text();
      } catch (e) {
        lastProblem = describeNetworkError(e, this.config.kong.adminTimeoutMs);
        warn(`Kong ${method} ${url.pathname} failed (attempt ${attempt}/${attempts}): ${lastProblem}`);
        continue;
      }
      const body = parseBody(text, res.headers.get('content-type'));
      if (res.status >= 500 && attempt < attempts) {
        lastProblem = `HTTP ${res.status}`;
        warn(`Kong ${method} ${url.pathname} answered ${res.status} (attempt ${attempt}/${attempts})`);
        continue;
      }
      if ((res.status >= 200 && res.status < 300) || opts.accept?.includes(res.status)) {
        return { status: res.status, body: body as T };
      }
      warn(`Kong ${method} ${url.pathname} answered ${res.status}`);
      throw mapKongError(res.status, body as KongErrorBody | string, opts.what, opts.secrets);
    }
    if (!opts.probe) this.logger.error(`Kong Admin API at ${base} is unreachable: ${lastProblem}`);
    throw kongUnreachable(lastProblem);
  }

  /** `GET /status`: Kong's memory, connection counters and database reachability. `probe`: see KongCallOptions. */
  async status(probe = false): Promise<Record<string, unknown>> {
    return (await this.request<Record<string, unknown>>('GET', '/status', { what: 'the status request', probe })).body;
  }

  /** Lists a collection filtered by tags (all must match), following `next` pages. */
  async listByTags<T extends KongEntity>(collectionPath: string, tags: string[]): Promise<T[]> {
    const out: T[] = [];
    let next: string | null | undefined = `${collectionPath}?tags=${encodeURIComponent(tags.join(','))}&size=1000`;
    for (let page = 0; next && page < 1000; page++) {
      const { body }: KongAnswer<KongList<T>> = await this.request<KongList<T>>('GET', next, { what: `the ${collectionPath} list` });
      out.push(...(body.data ?? []));
      next = body.next;
    }
    return out;
  }

  /** Lists everything under a nested path (e.g. a route's plugins), following `next` pages. */
  async listAll<T extends KongEntity>(collectionPath: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | null | undefined = `${collectionPath}?size=1000`;
    for (let page = 0; next && page < 1000; page++) {
      const { body }: KongAnswer<KongList<T>> = await this.request<KongList<T>>('GET', next, { what: `the ${collectionPath} list` });
      out.push(...(body.data ?? []));
      next = body.next;
    }
    return out;
  }

  /** Upserts by name with `PUT /{collection}/{name}` (Kong answers 200 for create and replace). */
  async upsert<T extends KongEntity>(
    collection: 'services' | 'routes' | 'consumers',
    name: string,
    body: Record<string, unknown>,
    secrets?: string[],
  ): Promise<T> {
    const singular = collection === 'services' ? 'service' : collection === 'routes' ? 'route' : 'consumer';
    const { body: entity } = await this.request<T>('PUT', `/${collection}/${encodeURIComponent(name)}`, {
      body,
      what: `${singular} ${name}`,
      secrets,
    });
    return entity;
  }

  /**
   * Creates or updates a plugin on a service/route/consumer without duplicates: find the
   * plugin of that name on the scope, then `PUT /plugins/{id}`; create with POST when absent
   * (a concurrent creator makes Kong answer 409; then the found one is updated).
   */
  async upsertPlugin(scope: PluginScope, plugin: DesiredPlugin, secrets?: string[]): Promise<KongPlugin> {
    const what = `plugin ${plugin.name} on ${scope.kind.slice(0, -1)} ${scope.nameOrId}`;
    const scopeRef = { [scope.kind.slice(0, -1)]: { id: scope.id } };
    const body = { name: plugin.name, config: plugin.config, tags: plugin.tags, enabled: plugin.enabled ?? true };
    const existing = await this.findPlugin(scope, plugin.name);
    if (existing) {
      return (await this.request<KongPlugin>('PUT', `/plugins/${existing.id}`, { body: { ...body, ...scopeRef }, what, secrets })).body;
    }
    const created = await this.request<KongPlugin>('POST', `/${scope.kind}/${encodeURIComponent(scope.nameOrId)}/plugins`, {
      body,
      what,
      secrets,
      accept: [409],
    });
    if (created.status !== 409) return created.body;
    const raced = await this.findPlugin(scope, plugin.name);
    if (!raced) throw new KongAdminError(502, 'KONG_ERROR', `Kong reported a conflicting ${what} but does not list it`);
    return (await this.request<KongPlugin>('PUT', `/plugins/${raced.id}`, { body: { ...body, ...scopeRef }, what, secrets })).body;
  }

  async findPlugin(scope: PluginScope, name: string): Promise<KongPlugin | undefined> {
    const plugins = await this.listAll<KongPlugin>(`/${scope.kind}/${encodeURIComponent(scope.nameOrId)}/plugins`);
    // The nested list may include plugins of other scopes on older Kongs; match the scope id too.
    const key = scope.kind.slice(0, -1) as 'service' | 'route' | 'consumer';
    return plugins.find((p) => p.name === name && (!p[key] || p[key]?.id === scope.id));
  }

  /** Deletes by id; an entity that is already gone counts as deleted. */
  async deleteById(collectionPath: string, id: string): Promise<void> {
    await this.request('DELETE', `${collectionPath}/${encodeURIComponent(id)}`, {
      what: `${collectionPath.replace(/^\//, '')} ${id}`,
      accept: [404],
    });
  }

  /** DB-less: replaces Kong's whole configuration (`POST /config`, 201). Never retried. */
  async loadDeclarativeConfig(config: Record<string, unknown>, secrets: string[]): Promise<void> {
    await this.request('POST', '/config', { body: config, what: 'the declarative configuration', secrets });
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!text) return undefined;
  if ((contentType ?? '').includes('json') || /^[[{]/.test(text.trim())) {
    try {
      return JSON.parse(text);
    } catch {
      return text.slice(0, 500);
    }
  }
  return text.slice(0, 500);
}

function describeNetworkError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? 'network error';
}
