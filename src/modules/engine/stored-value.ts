import { isSecretName, looksLikeCredentialText, REDACTED } from '../../core/security/secret-names';

/**
 * What the execution log keeps of inputs and outputs: secret-looking values redacted and the
 * whole value capped in size, with a marker when it was cut. Which keys are secret is the
 * shared secret-name matcher's answer (core/security/secret-names.ts), the same one the logs use.
 */

/**
 * Deep copy with the values of secret-looking keys (and bearer/basic strings) replaced.
 * `seen.bound` accumulates an upper bound of the copy's JSON size in bytes (6 bytes per UTF-16
 * unit covers UTF-8 and `\u00XX` escapes), so most values never need a trial JSON.stringify.
 */
export function redactSecrets(value: unknown, seen: { redacted: boolean; bound?: number } = { redacted: false }, depth = 0): unknown {
  if (depth > 64) return '[too deep]';
  if (typeof value === 'string') {
    if (looksLikeCredentialText(value)) {
      seen.redacted = true;
      seen.bound = (seen.bound ?? 0) + 12;
      return REDACTED;
    }
    seen.bound = (seen.bound ?? 0) + value.length * 6 + 2;
    return value;
  }
  if (Array.isArray(value)) {
    seen.bound = (seen.bound ?? 0) + 2 + value.length;
    return value.map((v) => redactSecrets(v, seen, depth + 1));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    let n = 2;
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      n += k.length * 6 + 4;
      const copy =
        isSecretName(k) && v !== null && v !== undefined && v !== ''
          ? ((seen.redacted = true), REDACTED)
          : redactSecrets(v, seen, depth + 1);
      // defineProperty keeps a "__proto__" key plain data
      if (k === '__proto__') Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
      else out[k] = copy;
    }
    seen.bound = (seen.bound ?? 0) + n;
    return out;
  }
  seen.bound = (seen.bound ?? 0) + 24; // numbers, booleans, null
  return value;
}

export interface TruncatedMarker {
  truncated: true;
  originalBytes: number;
  /** The first bytes of the JSON text. */
  preview: string;
}

export function isTruncated(value: unknown): value is TruncatedMarker {
  return !!value && typeof value === 'object' && (value as TruncatedMarker).truncated === true && 'originalBytes' in value;
}

/** The value itself when its JSON fits in `maxBytes`, else a marker with a preview. */
export function capSize(value: unknown, maxBytes: number): { value: unknown; truncated: boolean } {
  if (value === undefined) return { value: null, truncated: false };
  const text = JSON.stringify(value) ?? 'null';
  // Cheap check first: UTF-8 is at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= maxBytes) return { value, truncated: false };
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { value, truncated: false };
  const previewBytes = Math.min(1024, Math.floor(maxBytes / 4));
  const marker: TruncatedMarker = {
    truncated: true,
    originalBytes: bytes,
    preview: Buffer.from(text).subarray(0, previewBytes).toString('utf8'),
  };
  return { value: marker, truncated: true };
}

/** Redact, then cap: how every input and output enters the log. `redacted`: something was hidden. */
export function toStored(value: unknown, maxBytes: number): { value: unknown; truncated: boolean; redacted: boolean } {
  const seen = { redacted: false, bound: 0 };
  const copy = redactSecrets(value, seen);
  if (seen.bound <= maxBytes) return { value: copy === undefined ? null : copy, truncated: false, redacted: seen.redacted };
  return { ...capSize(copy, maxBytes), redacted: seen.redacted };
}

/**
 * Error text can carry a URL whose path or query is the secret (Slack/Discord webhook URLs,
 * `?appid=`): keep only each URL's origin, and drop bearer/basic credentials.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/\b(https?:\/\/[^/\s?#"'<>]+)[^\s"'<>]*/gi, (_m, origin: string) => `${origin}/…`)
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]');
}
