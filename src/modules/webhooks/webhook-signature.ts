import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-flowgate-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** `t=<unix seconds>,v1=<hex>`: the HMAC-SHA256, keyed by the workflow's secret, of `"<t>.<raw body>"`. */
export function signPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export function signatureHeader(secret: string, rawBody: Buffer | string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, rawBody)}`;
}

/**
 * Verifies the header against the exact bytes received: within 5 minutes of now (either way),
 * compared in constant time. Several v1 values are allowed (a sender mid-rotation).
 */
export function verifySignature(
  header: string | string[] | undefined,
  secret: string,
  rawBody: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return { ok: false, reason: 'missing X-Flowgate-Signature header' };
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-fA-F]{64}$/.test(v)) candidates.push(v.toLowerCase());
  }
  if (t === undefined || !candidates.length) return { ok: false, reason: 'malformed X-Flowgate-Signature (expected t=<unix>,v1=<hex>)' };
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS)
    return { ok: false, reason: 'signature timestamp outside the 5-minute window' };
  const expected = Buffer.from(signPayload(secret, t, rawBody), 'hex');
  let match = false;
  for (const c of candidates) match = timingSafeEqual(expected, Buffer.from(c, 'hex')) || match;
  return match ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
