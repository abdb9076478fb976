import { isSecretName, normaliseKeyName } from './secret-names';

/** Every spelling a payload, a header or a provider uses for the same name. */
function spellings(words: string[]): string[] {
  const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
  return [
    words.join('_'),
    words.join('-'),
    words.join('.'),
    words.join(' '),
    words.join(''),
    words[0] + words.slice(1).map(cap).join(''), // camelCase
    words.map(cap).join(''), // PascalCase
    words.map(cap).join('-'), // Header-Case
    words.join('_').toUpperCase(), // SCREAMING_SNAKE
    words.join('').toUpperCase(),
  ];
}

const SECRET_NAMES: string[][] = [
  ['token'],
  ['password'],
  ['passwd'],
  ['pwd'],
  ['pass'],
  ['secret'],
  ['secrets'],
  ['passphrase'],
  ['api', 'key'],
  ['apikey'],
  ['x', 'api', 'key'],
  ['api', 'token'],
  ['x', 'auth', 'token'],
  ['auth', 'token'],
  ['access', 'key'],
  ['secret', 'key'],
  ['aws', 'secret', 'access', 'key'],
  ['private', 'key'],
  ['client', 'secret'],
  ['webhook', 'secret'],
  ['signing', 'secret'],
  ['access', 'token'],
  ['refresh', 'token'],
  ['id', 'token'],
  ['session', 'token'],
  ['bearer', 'token'],
  ['csrf', 'token'],
  ['authorization'],
  ['proxy', 'authorization'],
  ['cookie'],
  ['set', 'cookie'],
  ['session'],
  ['session', 'id'],
  ['jsessionid'],
  ['signature'],
  ['x', 'hub', 'signature'],
  ['x', 'flowgate', 'signature'],
  ['credentials'],
  ['aws', 'credentials'],
  ['credential'],
  ['db', 'password'],
  ['password', 'hash'],
  ['new', 'password'],
  ['db', 'pwd'],
  ['webhook', 'url'],
  ['appid'],
  ['access', 'tokens'],
  ['refresh', 'token', 'value'],
  ['connection', 'string'],
];

const PLAIN_NAMES: string[][] = [
  ['name'],
  ['email'],
  ['user', 'name'],
  ['id'],
  ['url'],
  ['status'],
  ['message'],
  ['body'],
  ['headers'],
  ['query'],
  ['tokens', 'used'],
  ['token', 'count'],
  ['max', 'tokens'],
  ['prompt', 'tokens'],
  ['completion', 'tokens'],
  ['total', 'tokens'],
  ['token', 'type'],
  ['token', 'expires', 'at'],
  ['expires', 'at'],
  ['credential', 'id'],
  ['credential', 'name'],
  ['key'],
  ['keys'],
  ['sid'],
  ['account', 'sid'],
  ['message', 'sid'],
  ['content', 'type'],
  ['user', 'agent'],
  ['author'],
  ['session', 'count'],
  ['signed', 'at'],
  ['passenger'],
  ['compass'],
];

describe('the secret-name matcher', () => {
  it('normalises case and separators to one form', () => {
    for (const k of ['secret_key', 'secretKey', 'Secret-Key', 'SECRETKEY', 'secret.key', 'secret key', 'SECRET_KEY']) {
      expect(normaliseKeyName(k)).toBe('secretkey');
    }
  });

  it.each(SECRET_NAMES.map((w) => [w.join('_'), w]))('%s is secret in every spelling', (_label, words) => {
    const missed = spellings(words as string[]).filter((k) => !isSecretName(k));
    expect(missed).toEqual([]);
  });

  it.each(PLAIN_NAMES.map((w) => [w.join('_'), w]))('%s is not secret in any spelling', (_label, words) => {
    const flagged = spellings(words as string[]).filter((k) => isSecretName(k));
    expect(flagged).toEqual([]);
  });

  it('the names the outside test found in clear are all secret', () => {
    const found = [
      'secret_key',
      'secretKey',
      'access_key',
      'aws_secret_access_key',
      'pwd',
      'passphrase',
      'api_token',
      'x-auth-token',
      'credentials',
    ];
    expect(found.filter((k) => !isSecretName(k))).toEqual([]);
  });

  it('gives the same answer the second time (cached verdicts)', () => {
    for (let i = 0; i < 3; i++) {
      expect(isSecretName('AWS_SECRET_ACCESS_KEY')).toBe(true);
      expect(isSecretName('tokens_used')).toBe(false);
    }
  });
});
