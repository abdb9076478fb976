import { hostAllowedBy, normalizeHostPattern } from '../host-patterns';

describe('credential host patterns', () => {
  it.each([
    ['API.Example.com', 'api.example.com'],
    [' *.example.com:8443 ', '*.example.com:8443'],
    ['127.0.0.1:9000', '127.0.0.1:9000'],
    ['[::1]:9000', '[::1]:9000'],
    ['example.com.', 'example.com'],
  ])('normalizes %j to %j', (raw, stored) => {
    expect(normalizeHostPattern(raw)).toEqual({ value: stored });
  });

  it.each([
    '',
    'https://api.example.com',
    'api.example.com/path',
    'user@api.example.com',
    'api.example.com:0',
    'api.example.com:70000',
    '*.[::1]',
    'a b',
    42,
  ])('refuses %j', (raw) => {
    expect(normalizeHostPattern(raw)).toHaveProperty('problem');
  });

  it('matches host, wildcard subdomains (not the apex) and ports', () => {
    const patterns = ['api.example.com', '*.corp.example', '127.0.0.1:9000'];
    const ok = (u: string) => hostAllowedBy(patterns, new URL(u));
    expect(ok('https://api.example.com/x')).toBe(true);
    expect(ok('http://API.EXAMPLE.COM:8080/x')).toBe(true);
    expect(ok('https://evil.api.example.com/')).toBe(false);
    expect(ok('https://api.example.com.evil.test/')).toBe(false);
    expect(ok('https://a.b.corp.example/')).toBe(true);
    expect(ok('https://corp.example/')).toBe(false);
    expect(ok('http://127.0.0.1:9000/')).toBe(true);
    expect(ok('http://127.0.0.1:9001/')).toBe(false);
    expect(ok('http://2130706433:9000/')).toBe(true); // the URL parser's form of 127.0.0.1
    expect(hostAllowedBy(['api.example.com:443'], new URL('https://api.example.com/'))).toBe(true);
    expect(hostAllowedBy([], new URL('https://api.example.com/'))).toBe(false);
  });
});
