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
});
