import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const HEX_KEY = 'ab'.repeat(32);

describe('loadConfig', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'fg-config-'));

  it('applies the documented defaults', () => {
    const c = loadConfig({ NODE_ENV: 'test' }, tmp());
    expect(c.port).toBe(3000);
    expect(c.database.url).toBe('postgres://postgres@127.0.0.1:5432/flowgate');
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.role).toBe('all');
    expect(c.auth.devMode).toBe(false);
  });

  it('rejects a bad value with a message naming the setting', () => {
    expect(() => loadConfig({ PORT: 'abc' }, tmp())).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' }, tmp())).toThrow(/PORT/);
    expect(() => loadConfig({ ROLE: 'boss' }, tmp())).toThrow(/ROLE/);
    expect(() => loadConfig({ DEV_MODE: 'maybe' }, tmp())).toThrow(/DEV_MODE/);
    expect(() => loadConfig({ ENCRYPTION_KEY: 'short' }, tmp())).toThrow(/ENCRYPTION_KEY/);
  });

  it('reads TRUST_PROXY as off, a hop count or addresses, and refuses "true" and what it cannot parse', () => {
    const trust = (v?: string) => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: v }, tmp()).http.trustProxy;
    expect([trust(undefined), trust(''), trust('false'), trust('0')]).toEqual([false, false, false, false]);
    expect(trust('1')).toBe(1);
    expect(trust(' 10.0.0.5, 172.30.80.0/24 ,::1,loopback')).toEqual(['10.0.0.5', '172.30.80.0/24', '::1', 'loopback']);
    expect(() => trust('true')).toThrow(/TRUST_PROXY: "true" would trust every X-Forwarded-For value/);
    expect(() => trust('10.0.0.5,kong')).toThrow(/TRUST_PROXY: .*not understood: "kong"/);
    expect(() => trust('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
  });

  it('applies the server timeout defaults and refuses a headers timeout longer than the request timeout', () => {
    expect(loadConfig({ NODE_ENV: 'test' }, tmp()).http.timeouts).toEqual({
      requestMs: 30_000,
      headersMs: 10_000,
      keepAliveMs: 75_000,
      connectionMs: 120_000,
    });
    expect(() => loadConfig({ NODE_ENV: 'test', HTTP_HEADERS_TIMEOUT_MS: '40000' }, tmp())).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/,
    );
  });

  it('turns Swagger UI off by default in production only; SWAGGER_ENABLED wins', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), ENCRYPTION_KEY: HEX_KEY } as const;
    expect(loadConfig({ NODE_ENV: 'test' }, tmp()).swaggerEnabled).toBe(true);
    expect(loadConfig({ ...prod }, tmp()).swaggerEnabled).toBe(false);
    expect(loadConfig({ ...prod, SWAGGER_ENABLED: 'true' }, tmp()).swaggerEnabled).toBe(true);
  });

  it('stops production without secrets, naming each missing one', () => {
    try {
      loadConfig({ NODE_ENV: 'production' }, tmp());
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual(['JWT_SECRET: required in production', 'ENCRYPTION_KEY: required in production']);
    }
  });

  it('generates development secrets once, warns, and reuses them on the next start', () => {
    const dir = tmp();
    const first = loadConfig({ NODE_ENV: 'development' }, dir);
    const second = loadConfig({ NODE_ENV: 'development' }, dir);
    expect(first.warnings.join()).toMatch(/JWT_SECRET, ENCRYPTION_KEY not set/);
    expect(second.auth.jwtSecret).toBe(first.auth.jwtSecret);
    expect(second.crypto.current.equals(first.crypto.current)).toBe(true);
    expect(readFileSync(join(dir, '.flowgate', 'dev-secrets.json'), 'utf8')).toContain(first.auth.jwtSecret);
  });

  it('never enables dev-login in production', () => {
    const c = loadConfig({ NODE_ENV: 'production', DEV_MODE: 'true', JWT_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: HEX_KEY }, tmp());
    expect(c.auth.devMode).toBe(false);
  });

  it('accepts base64 and hex keys and an old-key list for rotation', () => {
    const b64 = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({ NODE_ENV: 'test', ENCRYPTION_KEY: b64, ENCRYPTION_OLD_KEYS: `${HEX_KEY}` }, tmp());
    expect(c.crypto.current).toEqual(Buffer.alloc(32, 7));
    expect(c.crypto.old).toHaveLength(1);
  });

  describe('connection URLs and ports', () => {
    const problems = (env: NodeJS.ProcessEnv): string[] => {
      try {
        loadConfig({ NODE_ENV: 'test', ...env }, tmp());
      } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
      }
      throw new Error('expected a ConfigError');
    };

    it('wants a postgres:// or postgresql:// DATABASE_URL naming a database, and never echoes its password', () => {
      expect(problems({ DATABASE_URL: 'mysql://root:s3cret-pw@db:3306/flowgate' })).toEqual([
        'DATABASE_URL: must start with postgres:// or postgresql://, got "mysql://"',
      ]);
      expect(problems({ DATABASE_URL: 'postgres://u:s3cret-pw@db:5432' })).toEqual([
        'DATABASE_URL: must name a database, e.g. postgres://user:password@host:5432/flowgate',
      ]);
      expect(problems({ DATABASE_URL: 's3cret-pw' })).toEqual([
        'DATABASE_URL: must be a URL such as postgres://user:password@host:5432/flowgate',
      ]);
      expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://u:p@db:5432/app?sslmode=require' }, tmp()).database.url).toBe(
        'postgresql://u:p@db:5432/app?sslmode=require',
      );
    });

    it('wants a redis:// or rediss:// REDIS_URL and checks its options', () => {
      expect(problems({ REDIS_URL: 'http://cache:6379' })).toEqual([
        'REDIS_URL: must start with redis:// or rediss:// (TLS), got "http://"',
      ]);
      expect(problems({ REDIS_URL: 'redis://cache:6379?family=5' })).toEqual([
        'REDIS_URL: family must be 0 (IPv4 and IPv6), 4 or 6, got "5"',
      ]);
      expect(problems({ REDIS_URL: 'redis://cache:6379?timeout=5' })).toEqual([
        'REDIS_URL: unsupported option "timeout" (supported: family, db)',
      ]);
      // Kept as given: every client derives its options from it (redisOptionsFromUrl).
      expect(
        loadConfig({ NODE_ENV: 'test', REDIS_URL: 'rediss://default:pw@redis.railway.internal:6379/1?family=0' }, tmp()).redis.url,
      ).toBe('rediss://default:pw@redis.railway.internal:6379/1?family=0');
    });

    it('wants ports between 1 and 65535 and says what it got', () => {
      expect(problems({ PORT: '70000' })).toEqual(['PORT: must be a whole number between 1 and 65535, got 70000']);
      expect(problems({ WORKER_PORT: '0' })).toEqual(['WORKER_PORT: must be a whole number between 1 and 65535, got 0']);
      expect(problems({ PORT: '80.5', WORKER_PORT: 'http' })).toEqual([
        'PORT: must be a whole number between 1 and 65535, got 80.5',
        'WORKER_PORT: must be a whole number between 1 and 65535, got "http"',
      ]);
      expect(problems({ SHUTDOWN_TIMEOUT_MS: '-1' })).toEqual(['SHUTDOWN_TIMEOUT_MS: must be a whole number of at least 0, got -1']);
      expect(loadConfig({ NODE_ENV: 'test', PORT: '65535', WORKER_PORT: '' }, tmp())).toMatchObject({ port: 65535, workerPort: 3001 });
    });

    it('creates a missing database outside production only, unless DATABASE_CREATE says otherwise', () => {
      const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: HEX_KEY };
      expect(loadConfig({ NODE_ENV: 'development' }, tmp()).database.create).toBe(true);
      expect(loadConfig({ NODE_ENV: 'test' }, tmp()).database.create).toBe(true);
      expect(loadConfig(prod, tmp()).database.create).toBe(false);
      expect(loadConfig({ ...prod, DATABASE_CREATE: 'true' }, tmp()).database.create).toBe(true);
      expect(loadConfig({ NODE_ENV: 'test', DATABASE_CREATE: 'false' }, tmp()).database.create).toBe(false);
    });

    it('waits 60 s for PostgreSQL by default, within 1 s and 1 hour', () => {
      expect(loadConfig({ NODE_ENV: 'test' }, tmp()).database.connectTimeoutSeconds).toBe(60);
      expect(loadConfig({ NODE_ENV: 'test', DATABASE_CONNECT_TIMEOUT_SECONDS: '5' }, tmp()).database.connectTimeoutSeconds).toBe(5);
      expect(problems({ DATABASE_CONNECT_TIMEOUT_SECONDS: '0' })).toEqual([
        'DATABASE_CONNECT_TIMEOUT_SECONDS: must be a whole number between 1 and 3600, got 0',
      ]);
    });
  });
});
