import {
  hideSecrets,
  isPlainObject,
  maskQuoted,
  REDACTED,
  scrubDeep,
  scrubDetails,
  scrubMessage,
  scrubText,
  stripQueryStrings,
  TOO_DEEP,
} from '..';

/** Nested `levels` deep: { a: { a: … { a: leaf } } }. */
function nest(levels: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

describe('hideSecrets, the one walk', () => {
  it.each([
    ['a secret-named key', { password: 'p' }, { password: REDACTED }, true],
    ['any spelling', { 'X-Api-Key': 'k', secretKey: 's' }, { 'X-Api-Key': REDACTED, secretKey: REDACTED }, true],
    ['nested and in arrays', { a: [{ token: 't' }] }, { a: [{ token: REDACTED }] }, true],
    ['a whole credentials object', { credentials: { user: 'u' } }, { credentials: REDACTED }, true],
    [
      'nothing to hide: empty, null, undefined',
      { password: '', token: null, secret: undefined },
      { password: '', token: null, secret: undefined },
      false,
    ],
    ['ids and counters stay', { credentialId: 'c', tokens_used: 3 }, { credentialId: 'c', tokens_used: 3 }, false],
    [
      'bearer text under an innocent key is kept by default',
      { note: 'Bearer 0123456789abcdef' },
      { note: 'Bearer 0123456789abcdef' },
      false,
    ],
  ])('%s', (_label, input, expected, hidden) => {
    const out = hideSecrets(input);
    expect(out.value).toEqual(expected);
    expect(out.hidden).toBe(hidden);
  });

  it('credentialText: bearer and basic strings are hidden under any key, also at the root and in arrays', () => {
    const out = hideSecrets(
      { note: 'Bearer 0123456789abcdef', list: ['Basic dXNlcjpwYXNzd29yZA=='], short: 'Bearer x' },
      { credentialText: true },
    );
    expect(out.value).toEqual({ note: REDACTED, list: [REDACTED], short: 'Bearer x' });
    expect(hideSecrets('Token 0123456789abcdef', { credentialText: true }).value).toBe(REDACTED);
  });

  it('never changes its input', () => {
    const input = { password: 'p', nested: { token: 't' } };
    hideSecrets(input);
    expect(input).toEqual({ password: 'p', nested: { token: 't' } });
  });

  it('a "__proto__" key stays plain data', () => {
    const out = hideSecrets(JSON.parse('{"__proto__":{"polluted":true},"x":1}')).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('containers deeper than maxDepth become [too deep]; values above it are kept', () => {
    // nest(3, 1): the root at depth 0, the innermost object at depth 2
    expect(hideSecrets(nest(3, 1), { maxDepth: 1 }).value).toEqual(nest(2, TOO_DEEP));
    expect(hideSecrets(nest(3, 1), { maxDepth: 2 }).value).toEqual(nest(3, 1));
    expect(hideSecrets(nest(70, 'x')).value).toEqual(nest(65, TOO_DEEP));
  });

  it('walks: objects it refuses are kept as they are (the logs leave class instances to their serializers)', () => {
    class Request {
      constructor(readonly password: string) {}
    }
    const req = new Request('p');
    const out = hideSecrets({ req, plain: { password: 'p' } }, { walks: isPlainObject }).value as Record<string, unknown>;
    expect(out.req).toBe(req);
    expect(out.plain).toEqual({ password: REDACTED });
    // the default walks every object
    expect(hideSecrets({ req }).value).toEqual({ req: { password: REDACTED } });
  });

  it('replace: an object swapped before it is walked (errors become their safe shape in the logs)', () => {
    const out = hideSecrets(
      { err: { anything: 1 }, e: new Error('x'), token: new Error('hidden first') },
      { replace: (v, key) => (v instanceof Error || key === 'err' ? 'replaced' : undefined) },
    );
    expect(out.value).toEqual({ err: 'replaced', e: 'replaced', token: REDACTED });
  });

  it('jsonBytesBound is an upper bound of the copy’s JSON size', () => {
    for (const v of [
      { a: 'héllo "quoted" \n', n: -Number.MAX_VALUE, m: Number.MIN_VALUE, b: [true, null, 'x'], password: 'secret' },
      ['Bearer 0123456789abcdef', { deep: nest(70, 'x') }],
      '\u0001\u0002',
    ]) {
      const out = hideSecrets(v, { credentialText: true });
      expect(Buffer.byteLength(JSON.stringify(out.value))).toBeLessThanOrEqual(out.jsonBytesBound);
    }
  });
});

describe("a credential's own values", () => {
  const secrets = { apiKey: 'k-123456789', short: 'abc', url: 'https://hooks.example/T/B/xyz' };

  it.each([
    ['the value anywhere in text', 'bad key k-123456789 given', `bad key ${REDACTED} given`],
    ['longest first, so a value inside another goes whole', 'posted to https://hooks.example/T/B/xyz', `posted to ${REDACTED}`],
    ['values shorter than 6 characters are left (they would shred text)', 'abc is fine', 'abc is fine'],
  ])('scrubText: %s', (_label, text, expected) => {
    expect(scrubText(text, secrets)).toBe(expected);
  });

  it('scrubDeep: strings and keys, at any depth; the same value when no secret appears', () => {
    expect(scrubDeep({ headers: { Authorization: 'Bearer k-123456789' }, ['k-123456789']: [1] }, secrets)).toEqual({
      headers: { Authorization: `Bearer ${REDACTED}` },
      [REDACTED]: [1],
    });
    const clean = { a: ['b'] };
    expect(scrubDeep(clean, secrets)).toBe(clean);
    expect(scrubDeep(clean, undefined)).toBe(clean);
  });

  it('scrubDetails: secret-named fields hidden and the credential’s values removed; the same value when clean', () => {
    expect(scrubDetails({ access_token: 'x', echo: 'k-123456789', list: [{ ok: 1 }] }, secrets)).toEqual({
      access_token: REDACTED,
      echo: REDACTED,
      list: [{ ok: 1 }],
    });
    const clean = { list: [{ ok: 1 }] };
    expect(scrubDetails(clean, secrets)).toBe(clean);
    expect(scrubDetails(undefined, secrets)).toBeUndefined();
  });
});

describe('free text', () => {
  it.each([
    ['query strings go, the path stays', 'GET /api/auth/callback?code=abc&state=x done', 'GET /api/auth/callback done'],
    ['URL credentials go', 'connect https://u:p@host/db failed', 'connect https://[redacted]@host/db failed'],
    ['sentence punctuation after a query stays', 'at https://h/cb?code=abc: failed', 'at https://h/cb: failed'],
    ['a question is not a query', 'what? nothing here', 'what? nothing here'],
  ])('stripQueryStrings: %s', (_label, text, expected) => {
    expect(stripQueryStrings(text)).toBe(expected);
  });

  it('maskQuoted: every quoted database value goes', () => {
    expect(maskQuoted('invalid input syntax for type uuid: "s3cr\\"et"')).toBe('invalid input syntax for type uuid: "…"');
  });

  it.each([
    [
      'a URL keeps its origin only',
      'POST https://hooks.slack.com/services/T1/B2/secret?x=1 failed',
      'POST https://hooks.slack.com/… failed',
    ],
    ['bearer credentials go', 'sent Bearer abcdefghijkl', 'sent Bearer [redacted]'],
    ['basic credentials go', 'sent basic dXNlcjpwYXNz', 'sent basic [redacted]'],
    ['plain text stays', 'timeout after 30 s', 'timeout after 30 s'],
  ])('scrubMessage: %s', (_label, text, expected) => {
    expect(scrubMessage(text)).toBe(expected);
  });
});
