import { hideSecrets } from './hide-secrets';
import { REDACTED } from './secret-names';

/**
 * Hiding the values of one credential wherever they turn up: a provider that echoes the request
 * (an HTTP sink returning our Authorization header), an error message quoting the api key.
 * `secrets` is the credential's decrypted fields.
 */

/** Secrets shorter than this would shred ordinary text and are not worth hiding. */
const MIN_SECRET_LENGTH = 6;

function secretValues(secrets: Record<string, string> | undefined): string[] {
  return Object.values(secrets ?? {})
    .filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/** `text` with every value of `secrets` replaced by `[redacted]`. */
export function scrubText(text: string, secrets: Record<string, string> | undefined): string {
  let out = text;
  for (const value of secretValues(secrets)) out = out.split(value).join(REDACTED);
  return out;
}

/**
 * Every string and key of `value` scrubbed of the values of `secrets` (the same value when none
 * appears). The last line of defence before a step output is stored; unlike error details, a
 * step output keeps its secret-named fields, which later steps may legitimately read
 * (`{{steps.login.body.access_token}}`).
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
 * Error details (a provider's error body) with the value of every secret-named key hidden and
 * the credential's own values removed: they only go to the execution log, the user and the log
 * lines. The same value when there was nothing to hide.
 */
export function scrubDetails<T>(value: T, secrets: Record<string, string> | undefined): T {
  const named = hideSecrets(value);
  return scrubDeep((named.hidden ? named.value : value) as T, secrets);
}
