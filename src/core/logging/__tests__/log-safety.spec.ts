import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createLogger } from '../logger';
import { serializeError } from '../error-serializer';
import { stripQueryStrings } from '../safe-text';

function capture() {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const log = createLogger({ level: 'trace', role: 'all', format: 'json' }, dest);
  return { log, lines, text: () => lines.join('\n'), json: () => lines.map((l) => JSON.parse(l)) };
}

/** What pg throws for a unique violation, as TypeORM wraps it. */
function uniqueViolation(): QueryFailedError {
  const driver = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
    name: 'error',
    severity: 'ERROR',
    code: '23505',
    detail: 'Key (email)=(bound-value-7c1e@example.test) already exists.',
    table: 'users',
    constraint: 'users_email_key',
  });
  return new QueryFailedError(
    'INSERT INTO "users"("email", "password_hash") VALUES ($1, $2)',
    ['bound-value-7c1e@example.test', 'hash-9d2f'],
    driver,
  );
}

describe('log lines keep no SQL, bound value, query string or secret-named field', () => {
  it('a QueryFailedError keeps its type, SQLSTATE, constraint and stack, not its query, parameters or detail', () => {
    const c = capture();
    c.log.error({ err: uniqueViolation(), reqId: 'r-1', route: '/api/auth/register' }, 'Unhandled error');
    const [line] = c.json();
    expect(line.err).toMatchObject({ type: 'QueryFailedError', code: '23505', constraint: 'users_email_key', table: 'users' });
    expect(line.err.message).toBe('duplicate key value violates unique constraint "…"');
    expect(line.err.stack).toMatch(/^QueryFailedError: duplicate key value violates unique constraint "…"\n\s+at /);
    expect(line).toMatchObject({ reqId: 'r-1', route: '/api/auth/register' });
    for (const leak of ['INSERT', 'bound-value-7c1e', 'hash-9d2f', 'already exists', '"parameters"', '"query"', 'driverError']) {
      expect(c.text()).not.toContain(leak);
    }
  });

  it('a value PostgreSQL quotes in its message is masked (invalid input, out of range)', () => {
    const driver = Object.assign(new Error('invalid input syntax for type uuid: "secret-in-the-message"'), {
      severity: 'ERROR',
      code: '22P02',
    });
    const s = serializeError(new QueryFailedError('SELECT 1 WHERE id = $1', ['secret-in-the-message'], driver));
    expect(s).toMatchObject({ type: 'QueryFailedError', code: '22P02', message: 'invalid input syntax for type uuid: "…"' });
    expect(JSON.stringify(s)).not.toContain('secret-in-the-message');
  });

  it('errors under any key, nested, in a cause or in an aggregate go through the same serializer', () => {
    const c = capture();
    const axiosLike = Object.assign(new Error('Request failed with status code 500'), {
      config: { url: 'https://nango.example/connection/x?force_refresh=true', headers: { Authorization: 'Bearer nango-key-123456' } },
      response: { data: { access_token: 'at-123456789' } },
    });
    const wrapped = new Error('refresh failed', { cause: uniqueViolation() });
    c.log.warn(
      { error: axiosLike, nested: { failure: wrapped }, many: new AggregateError([uniqueViolation()], 'several') },
      'something failed',
    );
    const [line] = c.json();
    expect(line.error).toEqual({ type: 'Error', message: 'Request failed with status code 500', stack: expect.any(String) });
    expect(line.nested.failure.cause).toMatchObject({ type: 'QueryFailedError', code: '23505' });
    expect(line.many.errors[0]).toMatchObject({ type: 'QueryFailedError', code: '23505' });
    for (const leak of ['nango-key-123456', 'at-123456789', 'force_refresh', 'bound-value-7c1e', 'INSERT'])
      expect(c.text()).not.toContain(leak);
  });

  it('messages and error text lose query strings and URL credentials, keep the path', () => {
    const c = capture();
    c.log.warn(`503 on GET /api/auth/callback?state=abc.def&code=oauth-code-42: down`);
    c.log.error(
      { err: new Error('GET https://user:pw-77@kong.internal:8001/status?x=key-99 failed') },
      'Kong at http://admin:pw-88@kong:8001/?a=b unreachable',
    );
    const text = c.text();
    for (const leak of ['oauth-code-42', 'state=abc', 'pw-77', 'key-99', 'pw-88', 'a=b']) expect(text).not.toContain(leak);
    const [first, second] = c.json();
    expect(first.msg).toBe('503 on GET /api/auth/callback: down');
    expect(second.msg).toBe('Kong at http://[redacted]@kong:8001/ unreachable');
    expect(second.err.message).toBe('GET https://[redacted]@kong.internal:8001/status failed');
    expect(stripQueryStrings('what? nothing to strip here')).toBe('what? nothing to strip here');
  });

  it('secret-named fields are hidden at any depth, in every spelling; ids and counters stay', () => {
    const c = capture();
    const child = c.log.child({ session: 'sess-1234567' });
    child.info(
      {
        headers: { Authorization: 'Bearer abcdefghijk', 'X-Auth-Token': 'xat-1', Cookie: 'c=1' },
        payload: { credentials: { user: 'u', key: 'k-1' }, items: [{ secret_key: 'sk-1', aws_secret_access_key: 'aws-1', pwd: 'pwd-1' }] },
        passphrase: 'pp-1',
        credentialId: 'cred-id-1',
        tokens_used: 42,
      },
      'fields',
    );
    const [line] = c.json();
    expect(line).toMatchObject({
      session: '[redacted]',
      headers: { Authorization: '[redacted]', 'X-Auth-Token': '[redacted]', Cookie: '[redacted]' },
      payload: { credentials: '[redacted]', items: [{ secret_key: '[redacted]', aws_secret_access_key: '[redacted]', pwd: '[redacted]' }] },
      passphrase: '[redacted]',
      credentialId: 'cred-id-1',
      tokens_used: 42,
    });
    for (const leak of ['sess-1234567', 'abcdefghijk', 'xat-1', 'k-1', 'sk-1', 'aws-1', 'pwd-1', 'pp-1'])
      expect(c.text()).not.toContain(leak);
  });
});
