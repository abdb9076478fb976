import { signatureHeader, signPayload, verifySignature } from '../webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = Buffer.from('{"a":1}');
  const now = 1_700_000_000;

  it('accepts the HMAC-SHA256 of "<t>.<raw body>" within five minutes', () => {
    expect(verifySignature(signatureHeader(secret, body, now), secret, body, now)).toEqual({ ok: true });
    expect(verifySignature(signatureHeader(secret, body, now - 299), secret, body, now).ok).toBe(true);
    expect(verifySignature(signatureHeader(secret, body, now + 299), secret, body, now).ok).toBe(true);
  });

  it('is computed over the exact bytes', () => {
    expect(signPayload(secret, now, '{"a":1}')).toBe(signPayload(secret, now, body));
    expect(verifySignature(signatureHeader(secret, '{"a": 1}', now), secret, body, now).ok).toBe(false);
  });

  it('rejects stale, future, wrong, missing and malformed signatures with a reason', () => {
    expect(verifySignature(signatureHeader(secret, body, now - 301), secret, body, now)).toEqual({
      ok: false,
      reason: expect.stringContaining('5-minute'),
    });
    expect(verifySignature(signatureHeader(secret, body, now + 301), secret, body, now).ok).toBe(false);
    expect(verifySignature(signatureHeader('other', body, now), secret, body, now)).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(verifySignature(undefined, secret, body, now)).toEqual({ ok: false, reason: expect.stringContaining('missing') });
    expect(verifySignature('v1=abc', secret, body, now)).toEqual({ ok: false, reason: expect.stringContaining('malformed') });
    expect(verifySignature(`t=${now},v1=zz`, secret, body, now).ok).toBe(false);
  });

  it('accepts any of several v1 values (a sender rotating its secret)', () => {
    const good = signPayload(secret, now, body);
    expect(verifySignature(`t=${now},v1=${'0'.repeat(64)},v1=${good}`, secret, body, now).ok).toBe(true);
  });
});
