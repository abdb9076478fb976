/**
 * The contract every connector implements. A connector is a real integration: it builds the
 * provider's real request (path, auth, body) through the shared outbound HTTP client and maps
 * the provider's answer and errors into Flowgate's terms.
 */

/** A JSON Schema (draft 2020-12 subset that Ajv understands) describing an object. */
export type JsonSchema = Record<string, unknown>;

/**
 * How a connector authenticates. The credential a step uses must have the same auth kind
 * and connector key (or connector key `*` for reusable kinds like `bearer`).
 */
export type AuthKind =
  | 'none'
  | 'api_key' // e.g. OpenWeather appid, NewsAPI key, NASA api_key, TheCatAPI key
  | 'webhook_url' // Slack, Discord: the secret URL is the credential
  | 'basic' // username/password (Twilio: AccountSid/AuthToken)
  | 'bearer' // a static bearer token (Salesforce with instanceUrl)
  | 'http' // generic http: none | bearer | basic | header
  | 'header' // a custom header name and value (generic http connector)
  | 'nango' // a marketplace company's Nango connection: token fetched at call time
  | 'amqp'; // a message broker's URL (RabbitMQ), for the amqp workflow trigger

export interface ConnectorActionDescriptor {
  key: string;
  name: string;
  description: string;
  /** Schema of the step's params (after template rendering). Validated at save and at run. */
  input: JsonSchema;
  /** Safe to run twice and free of side effects (used by dry-run hints and the Kong aggregator). */
  readOnly: boolean;
}

export interface ConnectorDescriptor {
  key: string;
  name: string;
  description: string;
  /** Auth kinds this connector accepts; `none` means no credential is needed. */
  auth: AuthKind[];
  /** Schema of the secret fields a credential for this connector holds (never returned by the API). */
  credentialSchema?: JsonSchema;
  actions: ConnectorActionDescriptor[];
  /** Env setting that overrides the provider's base URL (tests point it at a fake). */
  baseUrlSetting?: string;
  /**
   * The provider's hosts (host patterns, e.g. `api.twilio.com`): where its credentials may be
   * sent unless an owner or admin names others. Absent: a generic connector whose URL comes
   * from the step (http, soap), so each credential must name its hosts.
   */
  hosts?: string[];
  /** Hosts a credential names itself (Slack's webhook URL, Salesforce's instance URL), added to `hosts`. */
  credentialHosts?(secrets: Record<string, string>): Array<string | undefined>;
  docsUrl?: string;
}

/** A credential as a connector sees it at call time: decrypted, never persisted or logged. */
export interface ResolvedCredential {
  id: string;
  name: string;
  authKind: AuthKind;
  /** Decrypted secret fields, e.g. { apiKey } or { webhookUrl } or { username, password }. */
  secrets: Record<string, string>;
  /** Hosts set by an owner or admin; null or absent: the connector's default hosts. */
  allowedHosts?: string[] | null;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** Object → JSON; string/Buffer sent as-is (set content-type yourself). */
  body?: unknown;
  /**
   * What the step's credential adds (auth headers, an API key in the query). The client sends it
   * only while the request stays at the origin it started at: a redirect to another origin
   * drops all of it. Never put credential material in `headers` or `query`.
   */
  credential?: { headers?: Record<string, string>; query?: Record<string, string> };
  /** Per-call timeout; defaults to OUTBOUND_TIMEOUT_MS. The step timeout (invoker) bounds the whole action anyway. */
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, else text. */
  body: unknown;
  /** Raw text (size-capped). */
  text: string;
  durationMs: number;
}

/**
 * The one outbound HTTP client (src/core/http): timeouts, response size cap, SSRF guard after
 * DNS resolution (OUTBOUND_ALLOW_HOSTS opens chosen hosts). It does not throw on non-2xx:
 * connectors map statuses to ConnectorError themselves.
 */
export interface OutboundHttp {
  request(req: OutboundRequest): Promise<OutboundResponse>;
}

export interface ConnectorContext {
  http: OutboundHttp;
  credential?: ResolvedCredential;
  /** Base URL for this connector (from its baseUrlSetting, or its default). */
  baseUrl: string;
  /** Aborted when the step times out or the worker shuts down. */
  signal: AbortSignal;
  tenantId: string;
}

export interface Connector {
  readonly descriptor: ConnectorDescriptor;
  /** Runs one action; returns the step output (JSON-serialisable). Throws ConnectorError. */
  execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown>;
  /** Checks a credential against the provider (POST /api/credentials/:id/test). */
  testCredential?(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }>;
}

/**
 * A failure in the user's terms: "OpenWeather: city not found (404)". `retryable` tells the
 * engine whether another attempt can help (429/5xx/timeouts yes; 400/401/403/404 no).
 */
export class ConnectorError extends Error {
  readonly retryable: boolean;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  readonly details?: unknown;

  constructor(
    message: string,
    opts: { retryable: boolean; status?: number; code?: string; retryAfterSeconds?: number; details?: unknown },
  ) {
    super(message);
    this.name = 'ConnectorError';
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.code = opts.code;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.details = opts.details;
  }

  /** The usual mapping from an HTTP status: 408/425/429/5xx retry, other 4xx do not. */
  static fromStatus(provider: string, status: number, reason: string, retryAfterSeconds?: number, details?: unknown): ConnectorError {
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
    return new ConnectorError(`${provider}: ${reason} (${status})`, { retryable, status, retryAfterSeconds, details });
  }
}
