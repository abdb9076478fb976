import { hideSecrets, scrubMessage } from '../../core/secrets';

/**
 * What the execution log keeps of inputs and outputs: secret-looking values redacted and the
 * whole value capped in size, with a marker when it was cut. Which values are secret is the
 * shared walk's answer (core/secrets), the same one the logs use, plus bearer/basic strings
 * under any key.
 */

/** Step error messages are stored through the shared text scrubber (URL origins only, no bearer/basic credentials). */
export { scrubMessage };

/** How stored values are walked: the shared defaults (64 levels, every object) plus credential text under any key. */
const STORED = { credentialText: true };

/** A copy with the values of secret-looking keys (and bearer/basic strings) replaced. */
export function redactSecrets(value: unknown): unknown {
  return hideSecrets(value, STORED).value;
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
  const copy = hideSecrets(value, STORED);
  if (copy.jsonBytesBound <= maxBytes)
    return { value: copy.value === undefined ? null : copy.value, truncated: false, redacted: copy.hidden };
  return { ...capSize(copy.value, maxBytes), redacted: copy.hidden };
}
