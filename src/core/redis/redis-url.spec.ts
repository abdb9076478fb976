import { bullConnection } from './redis-connection';
import { RedisUrlError, redisOptionsFromUrl } from './redis-url';

describe('redisOptionsFromUrl', () => {
  it('reads host and port, with database 0 and 6379 by default', () => {
    expect(redisOptionsFromUrl('redis://cache.internal')).toEqual({ host: 'cache.internal', port: 6379, db: 0 });
  });

  it('keeps family=0 (Railway private network) and the other families', () => {
    expect(redisOptionsFromUrl('redis://default:pw@redis.railway.internal:6379?family=0').family).toBe(0);
    expect(redisOptionsFromUrl('redis://h?family=6').family).toBe(6);
    expect(redisOptionsFromUrl('redis://h?family=4').family).toBe(4);
    expect(redisOptionsFromUrl('redis://h')).not.toHaveProperty('family');
  });

  it('reads the database from the path or ?db=', () => {
    expect(redisOptionsFromUrl('redis://h:6380/3').db).toBe(3);
    expect(redisOptionsFromUrl('redis://h?db=5').db).toBe(5);
    expect(redisOptionsFromUrl('redis://h/5?db=5').db).toBe(5);
  });

  it('decodes username and password, and takes a password alone', () => {
    expect(redisOptionsFromUrl('redis://default:p%40ss%3Aword@h')).toMatchObject({ username: 'default', password: 'p@ss:word' });
    const passwordOnly = redisOptionsFromUrl('redis://:secret@h');
    expect(passwordOnly.password).toBe('secret');
    expect(passwordOnly).not.toHaveProperty('username');
  });

  it('turns TLS on for rediss://', () => {
    expect(redisOptionsFromUrl('rediss://default:pw@h:6380').tls).toEqual({});
    expect(redisOptionsFromUrl('redis://h')).not.toHaveProperty('tls');
  });

  it('strips the brackets of an IPv6 address', () => {
    expect(redisOptionsFromUrl('redis://[fd12:3456::1]:6379?family=6')).toMatchObject({ host: 'fd12:3456::1', port: 6379, family: 6 });
  });

  it.each([
    ['http://h:6379', /must start with redis:\/\/ or rediss:\/\/ \(TLS\), got "http:\/\/"/],
    ['not a url', /must be a URL/],
    ['redis://h?family=5', /family must be 0 \(IPv4 and IPv6\), 4 or 6, got "5"/],
    ['redis://h/abc', /database must be a whole number/],
    ['redis://h/1?db=2', /database 1 in the path and 2 in \?db=/],
    ['redis://h?tls=true', /unsupported option "tls" \(supported: family, db\)/],
  ])('refuses %s with a clear message', (url, message) => {
    expect(() => redisOptionsFromUrl(url)).toThrow(RedisUrlError);
    expect(() => redisOptionsFromUrl(url)).toThrow(message);
  });

  it('never repeats the password in an error', () => {
    for (const url of ['http://user:hunter2-secret@h', 'redis://user:hunter2-secret@h?x=1', 'redis://user:hunter2-secret@h/x']) {
      expect(() => redisOptionsFromUrl(url)).toThrow(RedisUrlError);
      expect(() => redisOptionsFromUrl(url)).not.toThrow(/hunter2/);
    }
  });

  it('gives BullMQ the same options, plus what BullMQ requires', () => {
    const c = bullConnection('rediss://default:pw@h:6380/2?family=0');
    expect(c).toMatchObject({
      host: 'h',
      port: 6380,
      db: 2,
      username: 'default',
      password: 'pw',
      tls: {},
      family: 0,
      maxRetriesPerRequest: null,
    });
  });
});
