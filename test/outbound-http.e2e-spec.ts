import { loadConfig } from '../src/core/config/load-config';
import { OutboundHttpClient } from '../src/core/http/outbound-http.client';
import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { failure } from './support/connector-failure';

/** The outbound client over real sockets against a local fake (no app needed). */
function client(env: Record<string, string> = {}): OutboundHttpClient {
  return new OutboundHttpClient(loadConfig({ NODE_ENV: 'test', ...env }));
}

describe('outbound HTTP client (SSRF guard, timeouts, size cap, redirects)', () => {
  let fake: FakeServer;
  const clients: OutboundHttpClient[] = [];
  const make = (env: Record<string, string> = {}) => {
    const c = client(env);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    fake = await startEchoFake();
  });
  afterAll(async () => {
    clients.forEach((c) => c.onApplicationShutdown());
    await fake.close();
  });

  describe('default configuration (no OUTBOUND_ALLOW_HOSTS)', () => {
    it.each([
      [
        '127.0.0.1 (the fake itself)',
        () => fake.url,
        /Blocked outbound request to 127\.0\.0\.1: loopback address \(set OUTBOUND_ALLOW_HOSTS to allow\)/,
      ],
      ['::1', () => `http://[::1]:${fake.port}/`, /Blocked outbound request to ::1: loopback address/],
      ['10.0.0.5', () => 'http://10.0.0.5/', /Blocked outbound request to 10\.0\.0\.5: private address/],
      ['cloud metadata 169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254: link-local address/],
      [
        'a hostname resolving to loopback',
        () => `http://localhost:${fake.port}/`,
        /Blocked outbound request to localhost \((127\.0\.0\.1|::1)\): loopback address/,
      ],
      ['an IPv4-mapped IPv6 private address', () => 'http://[::ffff:192.168.0.1]/', /192\.168\.0\.1|::ffff:c0a8:1/],
      ['a decimal-encoded loopback address', () => `http://2130706433:${fake.port}/`, /127\.0\.0\.1: loopback/],
    ])('refuses %s, before any byte is sent', async (_label, url, message) => {
      fake.reset();
      const err = await failure(make().request({ method: 'GET', url: url() }));
      expect(err.message).toMatch(message);
      expect(err.retryable).toBe(false);
      expect(err.code).toBe('OUTBOUND_BLOCKED');
      expect(fake.requests).toHaveLength(0);
    });

    it('refuses non-http schemes', async () => {
      const err = await failure(make().request({ method: 'GET', url: 'file:///etc/passwd' }));
      expect(err.message).toBe('Only http and https URLs are allowed (got file)');
    });
  });

  describe('with OUTBOUND_ALLOW_HOSTS=127.0.0.1', () => {
    let http: OutboundHttpClient;
    beforeAll(() => {
      http = make({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1', OUTBOUND_MAX_RESPONSE_BYTES: '2048' });
    });
    beforeEach(() => fake.reset());

    it('reaches the fake: JSON body, query, headers; parsed JSON answer', async () => {
      const res = await http.request({
        method: 'POST',
        url: `${fake.url}/things?a=1`,
        query: { b: 'two' },
        headers: { 'X-Custom': 'yes' },
        body: { hello: 'world' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ method: 'POST', path: '/things', query: { a: '1', b: 'two' }, body: { hello: 'world' } });
      expect(fake.requests[0].headers['x-custom']).toBe('yes');
      expect(fake.requests[0].headers['content-type']).toBe('application/json');
    });

    it('opens hostnames that resolve to an allowed address (localhost → 127.0.0.1)', async () => {
      const res = await http.request({ method: 'GET', url: `http://localhost:${fake.port}/x` });
      expect(res.status).toBe(200);
    });

    it('keeps ::1 closed when only 127.0.0.1 is allowed', async () => {
      const err = await failure(http.request({ method: 'GET', url: `http://[::1]:${fake.port}/` }));
      expect(err.code).toBe('OUTBOUND_BLOCKED');
    });

    it('returns non-2xx statuses instead of throwing', async () => {
      const res = await http.request({ method: 'GET', url: `${fake.url}/status/503` });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'status 503' });
    });

    it('returns text bodies as text', async () => {
      const res = await http.request({ method: 'GET', url: `${fake.url}/text` });
      expect(res.body).toBe('plain text answer');
      expect(res.headers['content-type']).toContain('text/plain');
    });

    it('times out with a clear, retryable error naming the host only', async () => {
      const err = await failure(http.request({ method: 'GET', url: `${fake.url}/hang?apiKey=s3cr3t`, timeoutMs: 150 }));
      expect(err.message).toBe(`Request to 127.0.0.1:${fake.port} timed out after 150 ms`);
      expect(err.retryable).toBe(true);
      expect(err.message).not.toContain('s3cr3t');
    });

    it('stops when the caller aborts', async () => {
      const controller = new AbortController();
      const pending = http.request({ method: 'GET', url: `${fake.url}/hang` }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      const err = await failure(pending);
      expect(err.code).toBe('CANCELLED');
    });

    it('caps the response size with a clear error', async () => {
      expect((await http.request({ method: 'GET', url: `${fake.url}/bytes/2000` })).text).toHaveLength(2000);
      const err = await failure(http.request({ method: 'GET', url: `${fake.url}/bytes/5000` }));
      expect(err.message).toBe(`Response from 127.0.0.1:${fake.port} is larger than the 2 KiB limit (OUTBOUND_MAX_RESPONSE_BYTES)`);
      expect(err.retryable).toBe(false);
    });

    it('decompresses gzip and counts the cap after decompression (no gzip bombs)', async () => {
      expect((await http.request({ method: 'GET', url: `${fake.url}/gzip/1500` })).text).toBe('x'.repeat(1500));
      const err = await failure(http.request({ method: 'GET', url: `${fake.url}/gzip/100000` }));
      expect(err.code).toBe('RESPONSE_TOO_LARGE');
    });

    it('follows up to 3 redirects, and no more', async () => {
      const ok = await http.request({ method: 'GET', url: `${fake.url}/redirect/3` });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ path: '/echo' });
      const err = await failure(http.request({ method: 'GET', url: `${fake.url}/redirect/4` }));
      expect(err.code).toBe('TOO_MANY_REDIRECTS');
    });

    it('re-applies the guard to every redirect hop', async () => {
      const err = await failure(
        http.request({
          method: 'GET',
          url: `${fake.url}/redirect-to?url=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`,
        }),
      );
      expect(err.message).toMatch(/Blocked outbound request to 169\.254\.169\.254: link-local address/);
    });

    it('drops the Authorization header when a redirect leaves the origin', async () => {
      const target = `http://localhost:${fake.port}/echo`;
      const res = await http.request({
        method: 'GET',
        url: `${fake.url}/redirect-to?url=${encodeURIComponent(target)}`,
        headers: { authorization: 'Bearer do-not-forward' },
      });
      expect(res.status).toBe(200);
      expect((res.body as { headers: Record<string, string> }).headers.authorization).toBeUndefined();
    });

    it('answers connection refused as a retryable error', async () => {
      const closed = await startEchoFake();
      const url = closed.url;
      await closed.close();
      const err = await failure(http.request({ method: 'GET', url }));
      expect(err.code).toBe('CONNECTION_REFUSED');
      expect(err.retryable).toBe(true);
    });
  });

  it('accepts CIDR ranges and IPv6 in OUTBOUND_ALLOW_HOSTS, and rejects junk at start', async () => {
    const res = await make({ OUTBOUND_ALLOW_HOSTS: '127.0.0.0/8,::1' }).request({ method: 'GET', url: `${fake.url}/x` });
    expect(res.status).toBe(200);
    expect(() => client({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,10.0.0.0/40' })).toThrow(/OUTBOUND_ALLOW_HOSTS: .*"10\.0\.0\.0\/40"/);
  });

  it('collects <NAME>_BASE_URL settings and names a bad one', () => {
    const config = loadConfig({ NODE_ENV: 'test', OPENWEATHER_BASE_URL: 'http://127.0.0.1:9/', SOMETHING_ELSE: 'x' });
    expect(config.connectors.baseUrls).toEqual({ OPENWEATHER_BASE_URL: 'http://127.0.0.1:9' });
    expect(() => loadConfig({ NODE_ENV: 'test', SLACK_BASE_URL: 'ftp://nope' })).toThrow(/SLACK_BASE_URL: must be an http\(s\) URL/);
  });

  describe('with a credential bound (hosts it may go to, what it contributed)', () => {
    let http: OutboundHttpClient;
    let second: FakeServer;
    const secretValue = 'bound-secret-0123456789';
    const scope = (hosts: string[]) => ({ id: 'cred-1', name: 'Bound', hosts, secretValues: [secretValue] });
    beforeAll(async () => {
      http = make({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
      second = await startEchoFake();
    });
    afterAll(() => second.close());
    beforeEach(() => {
      fake.reset();
      second.reset();
    });

    it('refuses a host the credential does not name before connecting, naming credential and host', async () => {
      const err = await failure(http.request({ method: 'GET', url: `${fake.url}/x` }, { credential: scope([`127.0.0.1:${second.port}`]) }));
      expect(err).toMatchObject({ code: 'CREDENTIAL_HOST_NOT_ALLOWED', retryable: false });
      expect(err.message).toContain(`Credential "Bound" (cred-1) may not be sent to 127.0.0.1:${fake.port}`);
      expect(fake.requests).toHaveLength(0);
    });

    it('drops declared credential headers and query, and anything carrying a secret, when the origin changes', async () => {
      const target = `${second.url}/landed?keep=1&leak=${secretValue}`;
      const res = await http.request(
        {
          method: 'GET',
          url: `${fake.url}/redirect-to?url=${encodeURIComponent(target)}`,
          headers: { 'X-Undeclared': `k ${secretValue}`, 'X-Plain': 'stays', Host: 'attacker.example' },
          credential: { headers: { 'X-Api-Key': 'declared-key' }, query: { appid: 'declared-query' } },
        },
        { credential: scope(['127.0.0.1']) },
      );
      expect(res.status).toBe(200);
      expect(fake.requests[0].headers['x-api-key']).toBe('declared-key');
      expect(fake.requests[0].query.appid).toBe('declared-query');
      expect(fake.requests[0].headers.host).toBe(`127.0.0.1:${fake.port}`);
      const landed = second.requests[0];
      expect(landed.headers['x-api-key']).toBeUndefined();
      expect(landed.headers['x-undeclared']).toBeUndefined();
      expect(landed.headers['x-plain']).toBe('stays');
      expect(landed.query).toEqual({ keep: '1' });
    });
  });
});
