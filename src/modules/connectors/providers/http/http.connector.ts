import { Connector, ConnectorContext, ConnectorDescriptor, ConnectorError, OutboundRequest } from '../../contract';
import { redactSecrets, retryAfterSeconds, textReason } from '../shared/provider-call';
import { authHeaders } from './http-auth';

const PROVIDER = 'HTTP';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
/** Methods HTTP defines as safe: they read, they never change the target. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** What a step receives from an HTTP call. */
export interface HttpStepOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A generic HTTP request. Non-2xx handling: by default a status >= 400 fails the step with
 * the usual retry rule (429/5xx retryable, other 4xx not), as mature platforms do; with
 * `failOnHttpError: false` every status is returned as output `{ status, headers, body }` for
 * a later `condition` step to inspect. Redirects are followed (at most 3, SSRF-checked).
 */
export class HttpConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'http',
    name: 'HTTP',
    description:
      "Calls any HTTP(S) URL: method, headers, query and a JSON, text or form body. Auth through a bearer, basic or custom-header credential, or a marketplace company's Nango connection (fresh token per call).",
    auth: ['none', 'bearer', 'basic', 'header', 'nango'],
    actions: [
      {
        key: 'request',
        name: 'Send request',
        description: 'Output: { status, headers, body } (body parsed when JSON). Fails on status >= 400 unless failOnHttpError is false.',
        readOnly: false,
        // The method decides: GET and HEAD change nothing (a dry run without side effects still sends them).
        sideEffects: true,
        sideEffectsOf: (params) => !SAFE_METHODS.has(String(params.method ?? 'GET').toUpperCase()),
        sideEffectsRule: 'Depends on `method`: GET and HEAD have none, every other method may',
        sampleOutput: {
          status: 201,
          headers: { 'content-type': 'application/json; charset=utf-8', location: 'https://api.example.com/orders/42' },
          body: { id: 42, status: 'created' },
        },
        input: {
          type: 'object',
          required: ['url'],
          additionalProperties: false,
          properties: {
            method: { type: 'string', enum: [...METHODS], default: 'GET' },
            url: { type: 'string', format: 'uri', pattern: '^https?://', description: 'Absolute http(s) URL' },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
            query: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
            body: { description: 'Object or array → JSON (or form fields with bodyType "form"); string → sent as text' },
            bodyType: { type: 'string', enum: ['json', 'text', 'form'], description: 'Defaults to json for objects, text for strings' },
            failOnHttpError: { type: 'boolean', default: true, description: 'Fail the step on status >= 400 (default true)' },
            timeoutMs: {
              type: 'integer',
              minimum: 1,
              maximum: 600000,
              description: 'Timeout of this request (bounded by the step timeout)',
            },
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<HttpStepOutput> {
    if (action !== 'request') {
      throw new ConnectorError(`${PROVIDER}: unknown action "${action}"`, { retryable: false, code: 'INVALID_PARAMS' });
    }
    const req = this.buildRequest(params, ctx);
    const res = await ctx.http.request(req);
    if (res.status >= 400 && params.failOnHttpError !== false) {
      const reason = redactSecrets(errorReason(res.body) ?? textReason(res), ctx).slice(0, 300);
      const base = ConnectorError.fromStatus(PROVIDER, res.status, reason, retryAfterSeconds(res.headers));
      throw new ConnectorError(base.message, {
        retryable: base.retryable,
        upstreamStatus: res.status,
        retryAfterSeconds: base.retryAfterSeconds,
        code: 'HTTP_ERROR',
      });
    }
    return { status: res.status, headers: res.headers, body: res.body };
  }

  private buildRequest(params: Record<string, unknown>, ctx: ConnectorContext): OutboundRequest {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((params.headers as Record<string, string>) ?? {})) headers[k.toLowerCase()] = String(v);
    let body: unknown = params.body;
    const bodyType = params.bodyType as 'json' | 'text' | 'form' | undefined;
    if (body !== undefined && body !== null) {
      if (bodyType === 'form') {
        const fields = typeof body === 'object' ? (body as Record<string, unknown>) : {};
        body = new URLSearchParams(
          Object.entries(fields).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        ).toString();
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
      } else if (bodyType === 'text' && typeof body !== 'string') {
        body = JSON.stringify(body);
        headers['content-type'] ??= 'text/plain; charset=utf-8';
      } else if (bodyType === 'json' && typeof body === 'string') {
        headers['content-type'] ??= 'application/json';
      }
    }
    return {
      method: ((params.method as string) ?? 'GET').toUpperCase() as OutboundRequest['method'],
      url: String(params.url),
      headers,
      query: params.query as OutboundRequest['query'],
      credential: { headers: authHeaders(ctx.credential) },
      body,
      timeoutMs: params.timeoutMs as number | undefined,
    };
  }
}

/** The usual places APIs put an error message: `{ error }`, `{ message }`, `{ error: { message } }`. */
function errorReason(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>).message : undefined;
  for (const candidate of [b.message, b.error, nested, b.detail, b.error_description]) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
  }
  return undefined;
}
