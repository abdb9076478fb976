import type { OutboundHttp } from '../../../core/http/outbound.types';

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
  // Open: a module may register a kind of its own with the AuthKindRegistry (amqp: a broker URL).
  | (string & {});

export interface ConnectorActionDescriptor {
  key: string;
  name: string;
  description: string;
  /** Schema of the step's params (after template rendering). Validated at save and at run. */
  input: JsonSchema;
  /** Safe to run twice and free of side effects (used by dry-run hints and the Kong aggregator). */
  readOnly: boolean;
  /**
   * Whether running the action changes something outside Flowgate (posts a message, creates a
   * record, charges a card). Required: the registry refuses an action without it. A dry run asked
   * for `sideEffects: false` plans such a step (the request it would send, secrets masked)
   * instead of running it. An action whose effect depends on its params (the generic HTTP
   * request: its method) says `true` here (it may have some) and decides per call in
   * `sideEffectsOf`.
   */
  sideEffects: boolean;
  /**
   * Per-call answer for actions whose side effects depend on the rendered params (HTTP: GET and
   * HEAD have none). Absent: `sideEffects` applies to every call.
   */
  sideEffectsOf?(params: Record<string, unknown>): boolean;
  /** One line for the catalogue when `sideEffectsOf` decides per call (e.g. "Only methods other than GET and HEAD"). */
  sideEffectsRule?: string;
  /**
   * A realistic example of the action's output (the shape `execute` really returns). Required
   * when `sideEffects` is true: a planned step's output, which the steps after it read in a dry run.
   */
  sampleOutput?: unknown;
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

export interface ConnectorContext {
  http: OutboundHttp;
  credential?: ResolvedCredential;
  /** Base URL for this connector (from its baseUrlSetting, or its default). */
  baseUrl: string;
  /** Aborted when the step times out or the worker shuts down. */
  signal: AbortSignal;
  tenantId: string;
  /**
   * The same for every attempt of this step in this execution, different for any other step or
   * execution (absent outside an execution: a dry run, a bridge call). Connectors whose provider
   * takes an idempotency key (Stripe's `Idempotency-Key`) send it on every create, so a retried
   * step never creates twice.
   */
  idempotencyKey?: string;
}

export interface Connector {
  readonly descriptor: ConnectorDescriptor;
  /**
   * Runs one action; returns the step output (JSON-serialisable). Throws ConnectorError.
   * Every request a side-effecting action sends must go through `ctx.http`: that is what a dry
   * run without side effects records instead of sending (the first request other than GET/HEAD
   * is captured and the call stops there). Tokens are fetched by the credential kind at resolve
   * time (Nango), not through `ctx.http`. Anything reaching the outside another way (SMTP, a
   * broker connection) is NOT covered by the planner (docs/dry-runs.md).
   */
  execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown>;
  /** Checks a credential against the provider (POST /api/credentials/:id/test). */
  testCredential?(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }>;
}
