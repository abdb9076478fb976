/**
 * Small pieces every REST provider needs: joining base URLs and paths, reading Retry-After,
 * picking secrets out of a credential, and turning a provider's error answer into a
 * ConnectorError whose message the user can act on and which never carries a secret.
 */
import { scrubDetails, scrubText } from '../../../../core/secrets';
import { ConnectorContext, ConnectorError, OutboundRequest, OutboundResponse } from '../../contract';

/** `base` (with or without trailing slash, possibly with a path) + `path` (starting with `/`). */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** One path segment from user input: `a/b` cannot climb to another endpoint. */
export function segment(value: string | number): string {
  const s = String(value);
  if (s === '' || s === '.' || s === '..')
    throw new ConnectorError(`"${s}" is not a valid path value`, { retryable: false, code: 'INVALID_PARAMS' });
  return encodeURIComponent(s);
}

/** Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), when present. */
export function retryAfterSeconds(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const raw = headers['retry-after'] ?? headers['Retry-After'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value));
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Replaces every secret value of the step's credential that appears in `text`. */
export function redactSecrets(text: string, ctx: Pick<ConnectorContext, 'credential'>): string {
  return scrubText(text, ctx.credential?.secrets);
}

/** A provider's error details, bounded, without secret-named fields or the credential's values. */
function redactDeep(value: unknown, ctx: Pick<ConnectorContext, 'credential'>): unknown {
  return scrubDetails(bounded(value, 0), ctx.credential?.secrets);
}

/** Error details are kept for the user, not in full: 8 levels, 20 items per array. */
function bounded(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return undefined;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => bounded(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bounded(v, depth + 1)]));
}

export interface ProviderFailure {
  /** The provider's own error code, e.g. `apiKeyInvalid`, `21211`, `INVALID_SESSION_ID`. */
  code?: string;
  /** The provider's own explanation, e.g. `Your API key is invalid`. */
  message: string;
  /** Extra fields worth keeping (more_info links, field names), secrets removed before use. */
  details?: unknown;
  /** Overrides the status-based rule for codes that say more than their status (e.g. a lock timeout). */
  retryable?: boolean;
}

/**
 * "NewsAPI: apiKeyInvalid — Your API key is invalid (401)". Retry follows the status (429/5xx
 * yes, other 4xx no) unless the provider's code says otherwise; Retry-After is carried along.
 */
export function providerError(
  provider: string,
  res: Pick<OutboundResponse, 'status' | 'headers'>,
  failure: ProviderFailure,
  ctx: Pick<ConnectorContext, 'credential'>,
): ConnectorError {
  const message = redactSecrets(failure.message.trim() || `HTTP ${res.status}`, ctx).slice(0, 500);
  const reason = failure.code && failure.code !== message ? `${failure.code} — ${message}` : message;
  const base = ConnectorError.fromStatus(provider, res.status, reason, retryAfterSeconds(res.headers));
  return new ConnectorError(base.message, {
    retryable: failure.retryable ?? base.retryable,
    upstreamStatus: res.status,
    code: failure.code,
    retryAfterSeconds: base.retryAfterSeconds,
    details: failure.details === undefined ? undefined : redactDeep(failure.details, ctx),
  });
}

/** A text body trimmed to something fit for an error message (HTML pages reduced to a hint). */
export function textReason(res: Pick<OutboundResponse, 'text' | 'status'>): string {
  const text = (res.text ?? '').trim();
  if (!text) return `HTTP ${res.status}`;
  if (/^\s*</.test(text)) return `HTTP ${res.status} (HTML error page)`;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A step input the provider cannot take, found before any call is made: never retried. */
export function invalidParams(provider: string, message: string): ConnectorError {
  return new ConnectorError(`${provider}: ${message}`, { retryable: false, code: 'INVALID_PARAMS' });
}

/** The credential secret `field`, or a non-retryable error that says which credential is missing what. */
export function requireSecret(provider: string, ctx: Pick<ConnectorContext, 'credential'>, field: string): string {
  const value = ctx.credential?.secrets?.[field];
  if (typeof value === 'string' && value !== '') return value;
  if (!ctx.credential) {
    return throwCredentialError(provider, 'this step needs a credential');
  }
  return throwCredentialError(provider, `credential "${ctx.credential.name}" has no ${field}`);
}

function throwCredentialError(provider: string, message: string): never {
  throw new ConnectorError(`${provider}: ${message}`, { retryable: false, code: 'CREDENTIAL_INVALID' });
}

/**
 * Sends a request and returns the response when it is a success; otherwise throws the
 * provider's error as described by `describe`.
 */
export async function send(
  provider: string,
  ctx: ConnectorContext,
  req: OutboundRequest,
  describe: (res: OutboundResponse) => ProviderFailure,
): Promise<OutboundResponse> {
  const res = await ctx.http.request(req);
  if (isSuccess(res.status)) return res;
  throw providerError(provider, res, describe(res), ctx);
}

/** Picks string fields off an unknown JSON body without trusting its shape. */
export function field(body: unknown, ...path: string[]): string | undefined {
  let cur: unknown = body;
  for (const key of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number') return String(cur);
  return undefined;
}
