import { flattenKongFields, mapKongError, redact } from '../admin/kong-admin.errors';

describe('Kong error mapping', () => {
  it('flattens nested Kong fields into dotted paths', () => {
    expect(
      flattenKongFields({
        config: { second: 'expected a number', redis: { host: 'required field missing' } },
        '@entity': ['at least one of these fields must be non-empty'],
      }),
    ).toEqual([
      { field: 'config.second', message: 'expected a number' },
      { field: 'config.redis.host', message: 'required field missing' },
      { field: '@entity', message: 'at least one of these fields must be non-empty' },
    ]);
    expect(flattenKongFields({ services: [null, { routes: [{ paths: ['should start with: /'] }] }] })).toEqual([
      { field: 'services[1].routes[0].paths', message: 'should start with: /' },
    ]);
  });

  it.each([
    [
      400,
      {
        code: 2,
        name: 'schema violation',
        message: 'schema violation (name: required field missing)',
        fields: { name: 'required field missing' },
      },
      400,
      'KONG_SCHEMA_VIOLATION',
    ],
    [
      400,
      { code: 14, name: 'invalid declarative configuration', fields: { _format_version: 'expected one of: 3.0' } },
      400,
      'KONG_INVALID_DECLARATIVE_CONFIG',
    ],
    [
      400,
      { code: 4, name: 'foreign key violation', message: "an existing 'routes' entity references this 'services' entity" },
      409,
      'KONG_FOREIGN_KEY_VIOLATION',
    ],
    [
      409,
      { code: 5, name: 'unique constraint violation', message: 'UNIQUE violation detected on \'{name="x"}\'' },
      409,
      'KONG_UNIQUE_VIOLATION',
    ],
    [
      405,
      { code: 12, name: 'operation unsupported', message: "cannot create 'services' entities when not using a database" },
      502,
      'KONG_DBLESS_READ_ONLY',
    ],
    [401, { message: 'Invalid credentials. Token or User credentials required' }, 502, 'KONG_ADMIN_UNAUTHORIZED'],
    [404, { message: 'Not found' }, 502, 'KONG_NOT_FOUND'],
    [500, { message: 'An unexpected error occurred' }, 502, 'KONG_ERROR'],
  ])('Kong %i %j → %i %s', (status, body, expectedStatus, code) => {
    const e = mapKongError(status, body, 'route r');
    expect(e.status).toBe(expectedStatus);
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(10);
  });

  it('names the fields in the message and details of a schema violation', () => {
    const e = mapKongError(
      400,
      { code: 2, name: 'schema violation', fields: { config: { foo: 'unknown field' } } },
      'plugin rate-limiting',
    );
    expect(e.message).toBe('Kong rejected plugin rate-limiting: config.foo: unknown field');
    expect(e.details).toEqual([{ field: 'config.foo', message: 'unknown field' }]);
  });

  it('scrubs secret values Kong echoes back (a unique violation on a key)', () => {
    const e = mapKongError(
      409,
      {
        code: 5,
        message: 'UNIQUE violation detected on \'{key="s3cr3t-key-value"}\'',
        fields: { key: "already exists with value 's3cr3t-key-value'" },
      },
      'the API key',
      ['s3cr3t-key-value'],
    );
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('s3cr3t-key-value');
    expect(redact('abc secret abc', ['secret'])).toBe('abc [redacted] abc');
  });
});
