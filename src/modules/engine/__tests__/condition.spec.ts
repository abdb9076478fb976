import { compare, runCondition, validateCondition } from '../core-steps/condition.step';
import { capSize, redactSecrets, scrubMessage } from '../stored-value';

describe('condition step', () => {
  it('compares numbers, numeric text and text', () => {
    expect(compare({ left: '150', operator: 'gt', right: 100 })).toBe(true);
    expect(compare({ left: 5, operator: 'lte', right: '5' })).toBe(true);
    expect(compare({ left: '42', operator: 'eq', right: 42 })).toBe(true);
    expect(compare({ left: 'abc', operator: 'eq', right: 'abd' })).toBe(false);
    expect(compare({ left: '2024-01-02', operator: 'gt', right: '2024-01-01' })).toBe(true);
    expect(compare({ left: 'abc', operator: 'gt', right: 5 })).toBe(false);
    expect(compare({ left: { a: [1] }, operator: 'eq', right: { a: [1] } })).toBe(true);
    expect(compare({ left: true, operator: 'eq', right: 'true' })).toBe(true);
  });

  it('supports contains, in, starts/ends with, exists and empty', () => {
    expect(compare({ left: 'hello world', operator: 'contains', right: 'lo w' })).toBe(true);
    expect(compare({ left: ['a', 'b'], operator: 'contains', right: 'b' })).toBe(true);
    expect(compare({ left: { k: 1 }, operator: 'contains', right: 'k' })).toBe(true);
    expect(compare({ left: 'b', operator: 'in', right: ['a', 'b'] })).toBe(true);
    expect(compare({ left: 'x', operator: 'not_in', right: ['a', 'b'] })).toBe(true);
    expect(compare({ left: 'flowgate', operator: 'starts_with', right: 'flow' })).toBe(true);
    expect(compare({ left: 'flowgate', operator: 'ends_with', right: 'gate' })).toBe(true);
    expect(compare({ left: undefined, operator: 'exists' })).toBe(false);
    expect(compare({ left: 0, operator: 'exists' })).toBe(true);
    expect(compare({ left: [], operator: 'empty' })).toBe(true);
    expect(compare({ left: 'x', operator: 'not_empty' })).toBe(true);
  });

  it('chooses then/else branches and acts as a filter without branches', () => {
    const following = ['a', 'b', 'c'];
    expect(runCondition({ left: 1, operator: 'eq', right: 1, then: ['a'], else: ['b'] }, following)).toEqual({
      result: true,
      branch: 'then',
      skip: ['b'],
    });
    expect(runCondition({ left: 1, operator: 'eq', right: 2, then: ['a'], else: ['b'] }, following)).toEqual({
      result: false,
      branch: 'else',
      skip: ['a'],
    });
    expect(runCondition({ left: 1, operator: 'eq', right: 2 }, following).skip).toEqual(['a', 'b', 'c']);
    expect(
      runCondition(
        {
          all: [
            { left: 1, operator: 'eq', right: 1 },
            { left: 2, operator: 'gt', right: 1 },
          ],
        },
        following,
      ).result,
    ).toBe(true);
    expect(
      runCondition(
        {
          any: [
            { left: 1, operator: 'eq', right: 3 },
            { left: 2, operator: 'gt', right: 1 },
          ],
        },
        following,
      ).result,
    ).toBe(true);
  });

  it('validates operators, operands and branch step names', () => {
    expect(validateCondition({ left: 'x', operator: 'eq', right: 'y', then: ['later'] }, 'steps[0].params', ['later'])).toEqual([]);
    const problems = validateCondition({ left: 'x', operator: 'like', then: ['earlier', 'later'], else: ['later'] }, 'steps[1].params', [
      'later',
    ]);
    expect(problems.map((p) => p.field)).toEqual(['steps[1].params.operator', 'steps[1].params.then[0]', 'steps[1].params.else[0]']);
    expect(validateCondition({ left: 'x', operator: 'gt' }, 'p', [])[0]).toEqual({
      field: 'p.right',
      message: expect.stringContaining('required'),
    });
    expect(validateCondition({ all: [] }, 'p', [])[0].field).toBe('p.all');
    expect(validateCondition({}, 'p', [])[0].field).toBe('p');
  });
});

describe('stored values', () => {
  it('redacts secret-looking keys and credentials in text', () => {
    const out = redactSecrets({
      headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k' },
      body: { ok: true, token: 't', note: 'Bearer 0123456789abcdef' },
      apiKey: '',
    });
    expect(out).toEqual({
      headers: { Authorization: '[redacted]', 'X-Api-Key': '[redacted]' },
      body: { ok: true, token: '[redacted]', note: '[redacted]' },
      apiKey: '',
    });
  });

  it('uses the shared secret-name matcher: every spelling, arrays, whole credentials objects; counters stay', () => {
    const out = redactSecrets({
      secret_key: 'a',
      secretKey: 'b',
      'Secret-Key': 'c',
      SECRETKEY: 'd',
      access_key: 'e',
      aws_secret_access_key: 'f',
      pwd: 'g',
      passphrase: 'h',
      api_token: 'i',
      'x-auth-token': 'j',
      list: [{ Passphrase: 'k' }],
      credentials: { user: 'l', region: 'm' },
      tokens_used: 5,
      token_count: 2,
      credentialId: 'n',
    });
    expect(out).toEqual({
      secret_key: '[redacted]',
      secretKey: '[redacted]',
      'Secret-Key': '[redacted]',
      SECRETKEY: '[redacted]',
      access_key: '[redacted]',
      aws_secret_access_key: '[redacted]',
      pwd: '[redacted]',
      passphrase: '[redacted]',
      api_token: '[redacted]',
      'x-auth-token': '[redacted]',
      list: [{ Passphrase: '[redacted]' }],
      credentials: '[redacted]',
      tokens_used: 5,
      token_count: 2,
      credentialId: 'n',
    });
  });

  it('caps large values with a truncated marker', () => {
    const small = capSize({ a: 1 }, 100);
    expect(small).toEqual({ value: { a: 1 }, truncated: false });
    const big = capSize({ text: 'x'.repeat(5000) }, 1000);
    expect(big.truncated).toBe(true);
    expect(big.value).toMatchObject({ truncated: true, originalBytes: expect.any(Number), preview: expect.stringMatching(/^\{"text":"x/) });
    expect(JSON.stringify(big.value).length).toBeLessThan(1000);
  });

  it('scrubs URLs and bearer tokens from error text', () => {
    expect(scrubMessage('POST https://hooks.slack.com/services/T1/B2/secret?x=1 failed')).toBe('POST https://hooks.slack.com/… failed');
    expect(scrubMessage('sent Bearer abcdefghijkl')).toBe('sent Bearer [redacted]');
  });
});
