import { parseOutboundUrl } from '../../../core/http/outbound-http.client';
import { assertHostAllowed, CredentialScope, secretFormsOf } from '../../../core/http/credential-scope';
import { isSecretName, looksLikeCredentialText, REDACTED, scrubDeep, scrubText } from '../../../core/secrets';
import { OutboundHttp, OutboundRequest, OutboundResponse, ResolvedCredential } from '../contract';

/** The request a side-effecting step would have sent, secrets masked (a dry run's `planned` step). */
export interface PlannedRequest {
  method: string;
  /** The full URL with its query; a URL that is itself the secret (a webhook) has its path masked. */
  url: string;
  /** The connector's headers, the credential's (masked) and the content-type the client derives from the body. */
  headers: Record<string, string>;
  /** As sent: a JSON value, or the text of a form or text body. Absent when there is none. */
  body?: unknown;
}

/** Methods HTTP defines as safe: sent for real even while planning (a lookup before a create). */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Thrown into the connector at the request it would have sent, so its `execute` stops there:
 * nothing leaves. Private to the planner: the invoker reads `PlanningHttp.captured`, whatever
 * the connector made of the throw (wrapped it, swallowed it).
 */
class PlannedRequestSignal extends Error {
  constructor() {
    super('Planned: the request was recorded and not sent (dry run without side effects)');
    this.name = 'PlannedRequestSignal';
  }
}

/**
 * What `ctx.http` is for a step a dry run plans instead of running: GET and HEAD go through the
 * real client (they change nothing, and a connector may need an answer before it writes); the
 * first other request is checked like a real one would be (URL, the credential's hosts),
 * recorded with its secrets masked and never sent; the call is then stopped, and every later
 * request is refused too.
 */
export class PlanningHttp implements OutboundHttp {
  captured?: PlannedRequest;

  constructor(
    private readonly real: OutboundHttp,
    private readonly credential: ResolvedCredential | undefined,
    private readonly scope: CredentialScope | undefined,
  ) {}

  request(req: OutboundRequest): Promise<OutboundResponse> {
    if (this.captured) return Promise.reject(new PlannedRequestSignal());
    const method = String(req.method ?? 'GET').toUpperCase();
    if (SAFE_METHODS.has(method)) return this.real.request(req);
    const url = parseOutboundUrl(req.url, req.query);
    // The same refusal the real client would give before connecting.
    if (this.scope) assertHostAllowed(this.scope, url);
    this.captured = maskRequest(method, url, req, this.credential);
    return Promise.reject(new PlannedRequestSignal());
  }
}

/**
 * The request as it would leave, with every secret masked: the credential's headers and query
 * parameters, any header or parameter with a secret name (Authorization, X-Api-Key, api_key,
 * token...) or a `Bearer …`/`Basic …` value, the path of a URL the credential holds (a Slack or
 * Discord webhook URL is the secret itself), and any credential value (or its base64 `a:b`
 * form) wherever else it appears (Twilio's account SID in the path).
 */
export function maskRequest(method: string, url: URL, req: OutboundRequest, credential: ResolvedCredential | undefined): PlannedRequest {
  const secrets = credential?.secrets ?? {};
  const forms: Record<string, string> = Object.fromEntries(secretFormsOf(secrets).map((v, i) => [String(i), v]));
  const scrub = (text: string) => scrubText(text, forms);

  const credentialQuery = new Set(Object.keys(req.credential?.query ?? {}));
  for (const [k, v] of Object.entries(req.credential?.query ?? {})) url.searchParams.set(k, v);
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => {
      const hidden = credentialQuery.has(k) || isSecretName(k) || looksLikeCredentialText(v);
      return `${encodeURIComponent(k)}=${hidden ? REDACTED : encodeURIComponent(scrub(v))}`;
    })
    .join('&');
  const path = secretUrlPath(url, secrets) ? `/${REDACTED}` : scrub(url.pathname);
  const userinfo = url.username || url.password ? `${REDACTED}@` : '';
  const shownUrl = `${url.protocol}//${userinfo}${url.host}${path}${query ? `?${query}` : ''}`;

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = String(v);
  let body: unknown = req.body;
  if (body !== undefined && body !== null) {
    if (Buffer.isBuffer(body)) body = body.toString('utf8');
    if (typeof body === 'string') headers['content-type'] ??= 'text/plain; charset=utf-8';
    else headers['content-type'] ??= 'application/json';
  } else {
    body = undefined;
  }
  const credentialHeaders = new Set<string>();
  for (const [k, v] of Object.entries(req.credential?.headers ?? {})) {
    headers[k.toLowerCase()] = String(v);
    credentialHeaders.add(k.toLowerCase());
  }
  for (const [k, v] of Object.entries(headers)) {
    headers[k] = credentialHeaders.has(k) || isSecretName(k) || looksLikeCredentialText(v) ? REDACTED : scrub(v);
  }

  return {
    method,
    url: shownUrl,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? scrub(body) : scrubDeep(body, forms) } : {}),
  };
}

/** True when the URL goes to (under) a URL the credential holds with a path: that path is the secret. */
function secretUrlPath(url: URL, secrets: Record<string, string>): boolean {
  for (const value of Object.values(secrets)) {
    if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue;
    let held: URL;
    try {
      held = new URL(value);
    } catch {
      continue;
    }
    if (held.pathname === '/' || held.origin !== url.origin) continue;
    if (url.pathname === held.pathname || url.pathname.startsWith(held.pathname.replace(/\/?$/, '/'))) return true;
  }
  return false;
}
