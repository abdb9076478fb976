import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import http, { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConnectorError } from './connector-error';
import { OutboundHttp, OutboundRequest, OutboundResponse } from './outbound.types';
import { parseAllowList } from './allow-list';
import { assertHostAllowed, carriesSecret, CredentialScope } from './credential-scope';
import { AbortCause, toConnectorError } from './outbound-errors';
import { readCappedBody } from './read-capped-body';
import { SsrfGuard } from './ssrf-guard';

/** Redirects are followed at most this many times, each hop checked by the SSRF guard again. */
export const MAX_REDIRECTS = 3;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export interface OutboundCallOptions {
  /** Aborts the call (step timeout, worker shutdown). */
  signal?: AbortSignal;
  /** The credential the call carries: every hop must go to one of its hosts. */
  credential?: CredentialScope;
}

interface Hop {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The one outbound HTTP client every connector uses (README, "Credentials and connectors"):
 * - SSRF guard on the address actually connected to (custom DNS lookup, IP literals checked
 *   up front); OUTBOUND_ALLOW_HOSTS opens chosen hosts and ranges;
 * - a connect timeout and a total timeout (OUTBOUND_TIMEOUT_MS, or `timeoutMs` per call) and
 *   an optional AbortSignal;
 * - a response size cap (OUTBOUND_MAX_RESPONSE_BYTES, counted after decompression);
 * - with a credential bound (OutboundCallOptions.credential): every hop, the first and each
 *   redirect, must go to one of the credential's hosts, checked before connecting;
 * - redirects followed up to MAX_REDIRECTS times, the guard re-applied on every hop. When the
 *   origin changes, everything the credential contributed (`req.credential` headers and query
 *   parameters), Authorization/Cookie, and any header or query value carrying one of the
 *   credential's secrets are dropped for the rest of the call; 303 (and 301/302 after a POST)
 *   turn into a GET without body, as browsers do;
 * - keep-alive agents.
 * Non-2xx answers are returned, never thrown: connectors map statuses themselves. What it does
 * throw is a ConnectorError whose message names the host, never the path or query.
 */
@Injectable()
export class OutboundHttpClient implements OutboundHttp, OnApplicationShutdown {
  private readonly guard: SsrfGuard;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 32, timeout: 60_000 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 32, timeout: 60_000 });
  private readonly userAgent: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.guard = new SsrfGuard(parseAllowList(config.outbound.allowHosts));
    this.userAgent = `Flowgate/${config.version}`;
  }

  // Last shutdown phase: execution workers drain in beforeApplicationShutdown, and their running
  // steps still need these sockets until then.
  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** A view of this client bound to a signal: what a connector receives as `ctx.http`. */
  bind(options: OutboundCallOptions): OutboundHttp {
    return { request: (req) => this.request(req, options) };
  }

  async request(req: OutboundRequest, options: OutboundCallOptions = {}): Promise<OutboundResponse> {
    const started = Date.now();
    const scope = options.credential;
    let url = parseOutboundUrl(req.url, req.query);
    let method = String(req.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method)) {
      throw new ConnectorError(`HTTP method ${method} is not supported`, { retryable: false, code: 'INVALID_METHOD' });
    }
    const headers = this.baseHeaders(req.headers);
    // A Host header of the step's choosing would let a shared front end (CDN, proxy) at an
    // allowed host route the credential to another site: with a credential, Host is the URL's.
    if (scope) delete headers.host;
    const credentialHeaders = lowerKeys(req.credential?.headers);
    const credentialQuery = req.credential?.query ?? {};
    // Credential material goes only to the origin the call started at, and never again once it left.
    let carriesCredential = true;
    let body = this.encodeBody(req.body, headers);
    const timeoutMs = req.timeoutMs ?? this.config.outbound.timeoutMs;

    const controller = new AbortController();
    let cause: AbortCause | undefined;
    const abort = (c: AbortCause) => {
      cause ??= c;
      controller.abort();
    };
    const timer = setTimeout(() => abort({ kind: 'timeout', ms: timeoutMs }), timeoutMs);
    const onExternalAbort = () => abort({ kind: 'cancelled' });
    if (options.signal?.aborted) onExternalAbort();
    options.signal?.addEventListener('abort', onExternalAbort, { once: true });

    try {
      for (let redirects = 0; ; redirects++) {
        // Before any socket: a credential goes only to its hosts (first hop and every redirect).
        if (scope) assertHostAllowed(scope, url);
        if (carriesCredential) for (const [k, v] of Object.entries(credentialQuery)) url.searchParams.set(k, v);
        const hopHeaders = carriesCredential ? { ...headers, ...credentialHeaders } : headers;
        let hop: Hop;
        try {
          this.guard.assertLiteralAllowed(url.hostname);
          hop = await this.hop(url, method, hopHeaders, body, controller.signal, (c) => abort(c));
        } catch (err) {
          throw toConnectorError(err, url.host, cause);
        }
        const location = hop.headers.location;
        if (!REDIRECTS.has(hop.status) || !location) {
          return this.toResponse(hop, method, started);
        }
        if (redirects >= MAX_REDIRECTS) {
          throw new ConnectorError(`Too many redirects (more than ${MAX_REDIRECTS}) from ${url.host}`, {
            retryable: false,
            code: 'TOO_MANY_REDIRECTS',
          });
        }
        const next = parseOutboundUrl(new URL(String(location), url).toString());
        if (next.origin !== url.origin) {
          carriesCredential = false;
          for (const h of ORIGIN_BOUND_HEADERS) delete headers[h];
          for (const h of Object.keys(credentialHeaders)) delete headers[h];
          if (scope) dropSecretBearing(scope, headers, next);
        }
        if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        url = next;
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onExternalAbort);
    }
  }

  private baseHeaders(given: Record<string, string> = {}): Record<string, string> {
    const headers = lowerKeys(given);
    headers['user-agent'] ??= this.userAgent;
    headers.accept ??= 'application/json, text/plain;q=0.9, */*;q=0.8';
    return headers;
  }

  private encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
    if (body === undefined || body === null) return undefined;
    if (Buffer.isBuffer(body)) return body;
    if (typeof body === 'string') {
      headers['content-type'] ??= 'text/plain; charset=utf-8';
      return Buffer.from(body, 'utf8');
    }
    headers['content-type'] ??= 'application/json';
    return Buffer.from(JSON.stringify(body), 'utf8');
  }

  /** One request/response exchange; rejects with the raw cause (mapped by the caller). */
  private hop(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    signal: AbortSignal,
    abort: (cause: AbortCause) => void,
  ): Promise<Hop> {
    const isHttps = url.protocol === 'https:';
    const connectTimeoutMs = this.config.outbound.connectTimeoutMs;
    return new Promise<Hop>((resolve, reject) => {
      const reqHeaders = { ...headers };
      if (body) reqHeaders['content-length'] = String(body.length);
      else delete reqHeaders['content-length'];
      const auth = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
      const request = (isHttps ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method,
          headers: reqHeaders,
          auth,
          agent: isHttps ? this.httpsAgent : this.httpAgent,
          lookup: this.guard.lookup,
          signal,
        },
        (res: IncomingMessage) => {
          if (method === 'HEAD') {
            res.resume();
            res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) }));
            res.once('error', reject);
            return;
          }
          readCappedBody(res, this.config.outbound.maxResponseBytes).then(
            (buf) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf }),
            reject,
          );
        },
      );
      request.once('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => abort({ kind: 'connect-timeout', ms: connectTimeoutMs }), connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
      request.once('error', reject);
      request.end(body);
    });
  }

  private toResponse(hop: Hop, method: string, started: number): OutboundResponse {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(hop.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    const text = hop.body.toString('utf8');
    let body: unknown = text;
    if (method !== 'HEAD' && /\bjson\b|\+json/i.test(headers['content-type'] ?? '') && text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text; // a server that lies about its content type: keep the text
      }
    }
    return { status: hop.status, headers, body, text, durationMs: Date.now() - started };
  }
}

function lowerKeys(given: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

/**
 * The safety net behind `req.credential`: after an origin change, no header, query value or
 * user info that carries one of the credential's secrets goes any further, whoever put it there.
 */
function dropSecretBearing(scope: CredentialScope, headers: Record<string, string>, next: URL): void {
  for (const [k, v] of Object.entries(headers)) if (carriesSecret(scope, v)) delete headers[k];
  for (const [k, v] of [...next.searchParams]) if (carriesSecret(scope, k) || carriesSecret(scope, v)) next.searchParams.delete(k);
  const userInfo = `${next.username}:${next.password}`;
  if (next.username && (carriesSecret(scope, userInfo) || carriesSecret(scope, safeDecode(userInfo)))) {
    next.username = '';
    next.password = '';
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * An outbound request's URL with its query set: only absolute http(s) URLs, anything else a
 * non-retryable INVALID_URL. Shared by the client and the dry-run planner (the same refusal
 * whether a request is sent or only planned).
 */
export function parseOutboundUrl(raw: string, query?: OutboundRequest['query']): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConnectorError('Invalid URL', { retryable: false, code: 'INVALID_URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConnectorError(`Only http and https URLs are allowed (got ${url.protocol.replace(':', '')})`, {
      retryable: false,
      code: 'INVALID_URL',
    });
  }
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}
