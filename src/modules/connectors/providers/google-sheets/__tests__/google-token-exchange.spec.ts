import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { generateKeyPairSync, KeyObject, verify } from 'node:crypto';
import type { AppConfig } from '../../../../../core/config/app-config';
import { OutboundHttpClient } from '../../../../../core/http/outbound-http.client';
import { ConnectorError, OutboundRequest, OutboundResponse } from '../../../contract';
import {
  GoogleTokenExchange,
  LIBRARY_TOKEN_URL,
  SHEETS_SCOPE,
  TOKEN_CACHE_MAX,
  TOKEN_EXPIRY_SKEW_MS,
  TokenHttp,
} from '../google-token-exchange';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
};
const TOKEN_URL = 'https://tokens.example.test/token';
const EMAIL = 'sheets-bot@demo-project.iam.gserviceaccount.com';

/** A token endpoint in-process: checks the assertion like Google (signature, iss, aud, scope) and records each request. */
function tokenEndpoint(keys: Map<string, KeyObject>) {
  const seen: Array<{ req: OutboundRequest; claims: Record<string, unknown> }> = [];
  let n = 0;
  const http: TokenHttp = {
    request(req) {
      const form = new URLSearchParams(String(req.body));
      const [h, p, s] = String(form.get('assertion')).split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      seen.push({ req, claims });
      const key = keys.get(String(claims.iss));
      const ok = key && verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
      const res = (status: number, body: unknown): OutboundResponse => ({
        status,
        body,
        headers: {},
        text: JSON.stringify(body),
        durationMs: 1,
      });
      if (!ok) return Promise.resolve(res(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
      return Promise.resolve(res(200, { access_token: `ya29.token-${++n}`, expires_in: 3599, token_type: 'Bearer' }));
    },
  };
  return { http, seen };
}

describe('GoogleTokenExchange (google-auth-library JWT client, our transporter)', () => {
  const a = pair();
  const keys = new Map([[EMAIL, a.publicKey]]);

  it('signs an RS256 assertion (iss, aud = the configured token URL, spreadsheets scope) and posts the JWT bearer grant there', async () => {
    const { http, seen } = tokenEndpoint(keys);
    const exchange = new GoogleTokenExchange(TOKEN_URL, http);
    expect(await exchange.accessToken('cred-1', { client_email: EMAIL, private_key: a.pem })).toBe('ya29.token-1');
    expect(seen).toHaveLength(1);
    expect(seen[0].req).toMatchObject({ method: 'POST', url: TOKEN_URL, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(new URLSearchParams(String(seen[0].req.body)).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(seen[0].claims).toMatchObject({ iss: EMAIL, aud: TOKEN_URL, scope: SHEETS_SCOPE });
    expect(Number(seen[0].claims.exp) - Number(seen[0].claims.iat)).toBe(3600);
  });

  it('caches per credential and key until shortly before expiry; a new key means a new exchange', async () => {
    let now = Date.now();
    const { http, seen } = tokenEndpoint(keys);
    const exchange = new GoogleTokenExchange(TOKEN_URL, http, () => now);
    const key = { client_email: EMAIL, private_key: a.pem };
    const tokens = [await exchange.accessToken('c', key), await exchange.accessToken('c', key), await exchange.accessToken('c', key)];
    expect(new Set(tokens).size).toBe(1);
    expect(seen).toHaveLength(1);
    // Concurrent first calls of another credential share one exchange.
    await Promise.all([1, 2, 3].map(() => exchange.accessToken('d', key)));
    expect(seen).toHaveLength(2);
    // Expires in 3599 s: still cached a minute before the skew, renewed within it.
    now += 3599_000 - TOKEN_EXPIRY_SKEW_MS - 60_000;
    await exchange.accessToken('c', key);
    expect(seen).toHaveLength(2);
    now += 120_000;
    expect(await exchange.accessToken('c', key)).not.toBe(tokens[0]);
    expect(seen).toHaveLength(3);
    const b = pair();
    keys.set('other@demo-project.iam.gserviceaccount.com', b.publicKey);
    await exchange.accessToken('c', { client_email: 'other@demo-project.iam.gserviceaccount.com', private_key: b.pem });
    expect(seen).toHaveLength(4);
  });

  it('keeps at most TOKEN_CACHE_MAX tokens', async () => {
    const { http } = tokenEndpoint(keys);
    const exchange = new GoogleTokenExchange(TOKEN_URL, http);
    const key = { client_email: EMAIL, private_key: a.pem };
    for (let i = 0; i <= TOKEN_CACHE_MAX; i++) await exchange.accessToken(`cred-${i}`, key);
    expect((exchange as unknown as { cache: Map<string, unknown> }).cache.size).toBe(TOKEN_CACHE_MAX);
  }, 60_000);

  it('maps invalid_grant to a non-retryable error without the key or the assertion', async () => {
    const { http, seen } = tokenEndpoint(new Map()); // the endpoint knows no key: signature refused
    const exchange = new GoogleTokenExchange(TOKEN_URL, http);
    const e = await exchange.accessToken('c', { client_email: EMAIL, private_key: a.pem }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e).toMatchObject({
      retryable: false,
      code: 'invalid_grant',
      message: 'Google Sheets: the service-account key was rejected (invalid_grant: Invalid JWT Signature.) (400)',
    });
    const assertion = String(new URLSearchParams(String(seen[0].req.body)).get('assertion'));
    expect(JSON.stringify(e) + (e as Error).message).not.toContain(assertion);
    expect((e as Error).message).not.toContain('PRIVATE KEY');
  });

  it('refuses any request the library might make other than its token POST', async () => {
    const { http, seen } = tokenEndpoint(keys);
    const exchange = new GoogleTokenExchange(TOKEN_URL, http);
    const transporter = (
      exchange as unknown as { transporter(id: string, key: unknown): { request(o: unknown): Promise<unknown> } }
    ).transporter('c', { client_email: EMAIL, private_key: a.pem });
    await expect(transporter.request({ url: 'http://169.254.169.254/computeMetadata/v1/', method: 'GET' })).rejects.toThrow(
      /refused an unexpected request/,
    );
    await expect(transporter.request({ url: LIBRARY_TOKEN_URL, method: 'GET' })).rejects.toThrow(/refused an unexpected request/);
    expect(seen).toHaveLength(0);
  });

  describe("through Flowgate's outbound client (egress rules)", () => {
    let trap: Server;
    let hits = 0;
    let trapUrl = '';
    beforeAll(async () => {
      trap = createServer((req, res) => {
        hits++;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen","expires_in":3600}');
      });
      await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
      trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/token`;
    });
    afterAll(() => new Promise<void>((r) => trap.close(() => r())));

    const client = (allowHosts: string[]) =>
      new OutboundHttpClient({
        version: 'test',
        outbound: { allowHosts, timeoutMs: 2000, connectTimeoutMs: 1000, maxResponseBytes: 1 << 20 },
      } as unknown as AppConfig);

    it('a token URL on a private address is refused before anything is sent, unless OUTBOUND_ALLOW_HOSTS opens it', async () => {
      const blocked = client([]);
      const exchange = new GoogleTokenExchange(trapUrl, { request: (req, o) => blocked.request(req, o) });
      const e = await exchange.accessToken('c', { client_email: EMAIL, private_key: a.pem }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConnectorError);
      expect((e as ConnectorError).retryable).toBe(false);
      expect(hits).toBe(0);
      blocked.onApplicationShutdown();

      const open = client(['127.0.0.1']);
      const allowed = new GoogleTokenExchange(trapUrl, { request: (req, o) => open.request(req, o) });
      expect(await allowed.accessToken('c', { client_email: EMAIL, private_key: a.pem })).toBe('stolen');
      expect(hits).toBe(1);
      open.onApplicationShutdown();
    });
  });
});
