import { createHash } from 'node:crypto';
import { JWT, JWTOptions } from 'google-auth-library';
import type { CredentialScope } from '../../../../core/http/credential-scope';
import { ConnectorError, OutboundRequest, OutboundResponse } from '../../contract';
import { SHEETS_PROVIDER, tokenEndpointError } from './google-sheets-errors';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
/** The token endpoint google-auth-library (gtoken) always posts to; our transporter redirects it to GOOGLE_TOKEN_URL. */
export const LIBRARY_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** A cached token is used until this long before it expires. */
export const TOKEN_EXPIRY_SKEW_MS = 5 * 60_000;
/** At most this many credentials' tokens are cached per process (least recently used dropped first). */
export const TOKEN_CACHE_MAX = 1000;

/** The fields of a service-account JSON key Flowgate stores and uses. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** The outbound client's call (the SSRF guard, timeouts, size cap), with a credential scope. */
export interface TokenHttp {
  request(req: OutboundRequest, options: { signal?: AbortSignal; credential?: CredentialScope }): Promise<OutboundResponse>;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

type Transporter = NonNullable<JWTOptions['transporter']>;

/**
 * Service-account key → access token (OAuth 2.0 JWT bearer grant, RFC 7523), signed and
 * requested by google-auth-library's JWT client, sent by Flowgate's outbound client.
 *
 * The library posts to its built-in https://oauth2.googleapis.com/token whatever the key's
 * `token_uri` says (JWT.fromJSON never reads it) and has no option for another endpoint; its
 * supported extension point is the `transporter`. Ours takes that one request, checks it is
 * the library's token call, and sends it to GOOGLE_TOKEN_URL through the outbound client,
 * scoped to that URL's host: private and metadata addresses are refused unless
 * OUTBOUND_ALLOW_HOSTS opens them, and anything else the library might ask for is refused.
 * The assertion's `aud` is GOOGLE_TOKEN_URL (Google's own URL by default).
 *
 * Tokens are cached per credential and key (a rotated key never reuses the old key's token)
 * until TOKEN_EXPIRY_SKEW_MS before they expire; one exchange at a time per key.
 */
export class GoogleTokenExchange {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  /** Token requests actually sent (tests and the docs' "one exchange for several calls"). */
  exchanges = 0;

  constructor(
    private readonly tokenUrl: string,
    private readonly http: TokenHttp,
    private readonly now: () => number = Date.now,
  ) {}

  async accessToken(credentialId: string, key: ServiceAccountKey, signal?: AbortSignal): Promise<string> {
    const cacheKey = `${credentialId}:${createHash('sha256').update(`${key.client_email}\n${key.private_key}`).digest('hex')}`;
    const hit = this.cache.get(cacheKey);
    if (hit && hit.expiresAt - TOKEN_EXPIRY_SKEW_MS > this.now()) {
      this.cache.delete(cacheKey); // re-insert: most recently used last
      this.cache.set(cacheKey, hit);
      return hit.accessToken;
    }
    let pending = this.inFlight.get(cacheKey);
    if (!pending) {
      pending = this.exchange(credentialId, key, signal).finally(() => this.inFlight.delete(cacheKey));
      this.inFlight.set(cacheKey, pending);
    }
    const token = await pending;
    this.cache.delete(cacheKey);
    this.cache.set(cacheKey, token);
    while (this.cache.size > TOKEN_CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    return token.accessToken;
  }

  private async exchange(credentialId: string, key: ServiceAccountKey, signal?: AbortSignal): Promise<CachedToken> {
    const client = new JWT({
      email: key.client_email,
      key: key.private_key,
      keyId: key.private_key_id,
      scopes: [SHEETS_SCOPE],
      // RFC 7523: the audience is the token endpoint the assertion is sent to.
      additionalClaims: { aud: this.tokenUrl },
      transporter: this.transporter(credentialId, key, signal),
      useAuthRequestParameters: false,
    });
    let credentials;
    try {
      credentials = await client.authorize();
    } catch (e) {
      if (e instanceof ConnectorError) throw e;
      // Signing failed (a key that parses as PEM but is not an RSA private key): say so, never quote it.
      throw new ConnectorError(`${SHEETS_PROVIDER}: could not sign the token request with the service-account key`, {
        retryable: false,
        code: 'CREDENTIAL_INVALID',
      });
    }
    if (!credentials.access_token) {
      throw new ConnectorError(`${SHEETS_PROVIDER}: the token endpoint answered without an access_token`, {
        retryable: true,
        code: 'TOKEN_EXCHANGE_FAILED',
      });
    }
    const expiresAt = typeof credentials.expiry_date === 'number' ? credentials.expiry_date : this.now() + 3600_000;
    return { accessToken: credentials.access_token, expiresAt };
  }

  /** The one request the library makes, sent where Flowgate says and through its egress rules. */
  private transporter(credentialId: string, key: ServiceAccountKey, signal?: AbortSignal): Transporter {
    const request = async (opts: { url?: unknown; method?: string; data?: unknown }) => {
      const asked = opts.url instanceof URL ? opts.url.toString() : String(opts.url ?? '');
      if (asked !== LIBRARY_TOKEN_URL || String(opts.method ?? 'GET').toUpperCase() !== 'POST') {
        throw new ConnectorError(`${SHEETS_PROVIDER}: refused an unexpected request from the Google auth library`, {
          retryable: false,
          code: 'TOKEN_EXCHANGE_FAILED',
        });
      }
      const form = opts.data instanceof URLSearchParams ? opts.data.toString() : String(opts.data ?? '');
      const assertion = new URLSearchParams(form).get('assertion') ?? '';
      this.exchanges++;
      const res = await this.http.request(
        {
          method: 'POST',
          url: this.tokenUrl,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form,
        },
        {
          signal,
          credential: {
            id: credentialId,
            name: `service account ${key.client_email}`,
            hosts: [new URL(this.tokenUrl).host.toLowerCase()],
            secretValues: [assertion, key.private_key].filter((v) => v.length > 0),
          },
        },
      );
      if (res.status < 200 || res.status >= 300) throw tokenEndpointError(res);
      return { data: res.body, status: res.status, statusText: '', headers: new Headers(), config: opts };
    };
    return { request } as unknown as Transporter;
  }
}
