import { ConnectorError, OutboundResponse } from '../../contract';
import { field, ProviderFailure, retryAfterSeconds, textReason } from '../shared/provider-call';

export const SHEETS_PROVIDER = 'Google Sheets';

/**
 * Google's error body (AIP-193): `{ error: { code, message, status, details: [{ reason, ... }] } }`.
 * The `reason` of an ErrorInfo detail (`rateLimitExceeded`, `RATE_LIMIT_EXCEEDED`) or of the
 * legacy `errors[]` list tells a quota 403 from a sharing 403.
 */
interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: Array<{ reason?: string }>;
    errors?: Array<{ reason?: string }>;
  };
}

/** Who the spreadsheet must be shared with, when known (`serviceAccount:<client_email>` → the e-mail). */
export function principalEmail(principal: string | undefined): string | undefined {
  return principal?.startsWith('serviceAccount:') ? principal.slice('serviceAccount:'.length) : undefined;
}

function reasons(body: GoogleErrorBody): string[] {
  const e = body.error ?? {};
  return [...(e.details ?? []), ...(e.errors ?? [])].map((d) => String(d?.reason ?? '')).filter(Boolean);
}

/**
 * The Sheets API error table (docs/connectors/google-sheets.md):
 * - 400 INVALID_ARGUMENT: not retryable, Google's message (e.g. "Unable to parse range: Sheet9!A1");
 * - 401 UNAUTHENTICATED: "token rejected", not retryable (a Nango token: retryable, the next
 *   attempt fetches a fresh one from Nango);
 * - 403 PERMISSION_DENIED: not retryable, "share the spreadsheet with <client_email>";
 * - 403/429 RESOURCE_EXHAUSTED or a rateLimitExceeded reason: retryable, Retry-After carried;
 * - 404 NOT_FOUND: "spreadsheet not found", not retryable;
 * - 5xx (INTERNAL, UNAVAILABLE): retryable.
 */
export function sheetsFailure(
  res: Pick<OutboundResponse, 'status' | 'body' | 'text'>,
  opts: { principal?: string; viaNango: boolean },
): ProviderFailure {
  const body = (res.body && typeof res.body === 'object' ? res.body : {}) as GoogleErrorBody;
  const status = field(body, 'error', 'status');
  const message = field(body, 'error', 'message') ?? textReason(res);
  const why = reasons(body);
  const details = body.error ? { status, message, ...(why.length ? { reasons: why } : {}) } : undefined;
  const quota = status === 'RESOURCE_EXHAUSTED' || why.some((r) => /rate_?limit_?exceeded|quota/i.test(r));
  if ((res.status === 403 || res.status === 429) && quota) {
    return { code: status ?? 'RESOURCE_EXHAUSTED', message: `quota exceeded, try again later: ${message}`, details, retryable: true };
  }
  switch (res.status) {
    case 400:
      return { code: status ?? 'INVALID_ARGUMENT', message, details, retryable: false };
    case 401:
      return {
        code: status ?? 'UNAUTHENTICATED',
        message: `token rejected: ${message}`,
        details,
        // A Nango token may have been revoked or rotated under us: Nango hands a fresh one next time.
        retryable: opts.viaNango,
      };
    case 403: {
      const email = principalEmail(opts.principal);
      const share = email
        ? `share the spreadsheet with ${email} (Share → add the service account as Editor, or Viewer for read_range)`
        : 'share the spreadsheet with the Google account this credential connects';
      return {
        code: status ?? 'PERMISSION_DENIED',
        message: `permission denied: ${share}. Google said: ${message}`,
        details,
        retryable: false,
      };
    }
    case 404:
      return {
        code: status ?? 'NOT_FOUND',
        message: `spreadsheet not found (check the spreadsheetId): ${message}`,
        details,
        retryable: false,
      };
    default:
      return { code: status, message, details };
  }
}

/**
 * What the OAuth token endpoint answered (RFC 6749 §5.2: `{ error, error_description }`), as a
 * step error. invalid_grant (bad signature, unknown or deleted key, clock skew) and the other
 * 4xx codes are not retryable; 429/5xx are. Never includes the assertion or the key.
 */
export function tokenEndpointError(res: Pick<OutboundResponse, 'status' | 'body' | 'text' | 'headers'>): ConnectorError {
  const code = field(res.body, 'error');
  const description = field(res.body, 'error_description');
  const retryable = res.status === 429 || res.status >= 500;
  const what = code ? `${code}${description ? `: ${description}` : ''}` : textReason(res);
  const message = retryable
    ? `${SHEETS_PROVIDER}: the token endpoint is unavailable (${what}) (${res.status})`
    : code === 'invalid_grant'
      ? `${SHEETS_PROVIDER}: the service-account key was rejected (${what}) (${res.status})`
      : `${SHEETS_PROVIDER}: the token endpoint refused the service-account key (${what}) (${res.status})`;
  return new ConnectorError(message.slice(0, 500), {
    retryable,
    upstreamStatus: res.status,
    code: code ?? 'TOKEN_EXCHANGE_FAILED',
    retryAfterSeconds: retryAfterSeconds(res.headers),
  });
}
