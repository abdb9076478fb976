import { isSecretName, REDACTED } from '../../../core/security/secret-names';
import { ConnectorError } from '../connector.types';

/** Secrets shorter than this would shred ordinary text and are not worth hiding. */
const MIN_SECRET_LENGTH = 6;

function secretValues(secrets: Record<string, string> | undefined): string[] {
  return Object.values(secrets ?? {})
    .filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, secrets: Record<string, string> | undefined): string {
  let out = text;
  for (const value of secretValues(secrets)) out = out.split(value).join(REDACTED);
  return out;
}

/**
 * Last line of defence before a step output is stored: a provider that echoes the request
 * (an HTTP sink returning our Authorization header) must not put the credential into the log.
 */
export function scrubDeep<T>(value: T, secrets: Record<string, string> | undefined): T {
  const values = secretValues(secrets);
  if (!values.length || value === undefined) return value;
  const json = JSON.stringify(value);
  if (json === undefined || !values.some((v) => json.includes(v) || json.includes(JSON.stringify(v).slice(1, -1)))) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrubText(v, secrets);
    if (v === null || typeof v !== 'object' || depth > 64) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrubText(k, secrets), walk(x, depth + 1)]));
  };
  return walk(value, 0) as T;
}

/**
 * Error details (a provider's error body) with the value of every secret-named key hidden
 * (the shared matcher, core/security/secret-names.ts) and the credential's own values removed.
 * Unlike a step output, which later steps may legitimately read (`{{steps.login.body.access_token}}`),
 * error details only go to the execution log, the user and the log lines.
 */
export function scrubDetails<T>(value: T, secrets: Record<string, string> | undefined): T {
  return scrubDeep(hideSecretNames(value, 0) as T, secrets);
}

function hideSecretNames(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object' || depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => hideSecretNames(x, depth + 1));
  let changed = false;
  const out = Object.entries(v).map(([k, x]) => {
    const hidden = isSecretName(k) && x !== null && x !== undefined && x !== '' ? REDACTED : hideSecretNames(x, depth + 1);
    if (hidden !== x) changed = true;
    return [k, hidden] as const;
  });
  return changed ? Object.fromEntries(out) : v;
}

/** The same error with every secret value removed from its message and details. */
export function scrubError(err: ConnectorError, secrets: Record<string, string> | undefined): ConnectorError {
  const message = scrubText(err.message, secrets);
  const details = scrubDetails(err.details, secrets);
  if (message === err.message && details === err.details) return err;
  return new ConnectorError(message, {
    retryable: err.retryable,
    status: err.status,
    code: err.code,
    retryAfterSeconds: err.retryAfterSeconds,
    details,
  });
}
