import { AppException, ErrorDetail } from '../../core/errors/app-exception';
import { DomainError, HttpAnswer } from '../../core/errors/domain-error';

/**
 * A failed call to Nango in Flowgate's terms. Built from the axios error the official client
 * throws (`response.status`, `response.data.error.{code,message}`) and nothing else: the axios
 * error itself carries the request headers (the secret key), so it is never kept or logged.
 *
 * `status` and `code` are Nango's (what the sync and refresh jobs record); the answer a request
 * gets is Flowgate's own mapping of them (`toHttp`), which the global filter uses when a
 * NangoError reaches it.
 */
export class NangoError extends DomainError {
  constructor(
    /** HTTP status Nango answered; 0 when Nango could not be reached. */
    status: number,
    /** Nango's error code (`not_found`, `invalid_credentials`, ...) or a transport code. */
    code: string,
    message: string,
    retryAfterSeconds?: number,
  ) {
    super(message, { status, code, retryAfterSeconds, retryable: isTransient(status) });
    this.name = 'NangoError';
  }

  /** Nango could not be reached, timed out, answered 5xx or asked us to slow down. */
  get transient(): boolean {
    return isTransient(this.status);
  }

  /** The connection's credentials can no longer be refreshed (provider refused, or exhausted). */
  get needsReauth(): boolean {
    return this.code === 'invalid_credentials' && (this.status === 400 || this.status === 424);
  }

  get notFound(): boolean {
    return this.status === 404;
  }

  /**
   * The HTTP answer Flowgate gives for this failure. Unknown connection or integration is a 404
   * with Nango's reason; Nango being away is a 502/503; never a 500.
   */
  override toHttp(): HttpAnswer {
    return this.toAppException().toHttp();
  }

  /** The same answer as an AppException, for callers that rethrow it. */
  toAppException(): AppException {
    const reason = `Nango: ${this.message}`;
    if (this.status === 404) {
      const code = this.code === 'unknown_provider_config' ? 'NANGO_INTEGRATION_NOT_FOUND' : 'NANGO_CONNECTION_NOT_FOUND';
      return new AppException(404, code, reason, this.answerDetails());
    }
    if (this.status === 429) return AppException.tooManyRequests(reason, this.retryAfterSeconds ?? 1, 'NANGO_RATE_LIMITED');
    if (this.needsReauth) return new AppException(409, 'NANGO_NEEDS_REAUTH', reason, this.answerDetails());
    if (this.status === 401 || this.status === 403) {
      // Flowgate's own key is wrong: an operator problem, not the caller's.
      return new AppException(502, 'NANGO_AUTH_FAILED', "Nango rejected Flowgate's secret key (check NANGO_SECRET_KEY)");
    }
    if (this.status === 0) return AppException.unavailable('NANGO_UNREACHABLE', reason, 5);
    if (this.status >= 500) return new AppException(502, 'NANGO_UPSTREAM_ERROR', reason);
    return new AppException(400, 'NANGO_REJECTED', reason, this.answerDetails());
  }

  private answerDetails(): ErrorDetail[] {
    return [{ message: `Nango answered ${this.code ?? this.status}`, nangoCode: this.code }];
  }
}

function isTransient(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

interface AxiosLikeError {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
}

function retryAfter(headers: Record<string, unknown> | undefined): number | undefined {
  const raw = headers?.['retry-after'];
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw);
  const n = Number(s);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

/** Turns whatever the client threw into a NangoError (keeps NangoErrors as they are). */
export function toNangoError(e: unknown): NangoError {
  if (e instanceof NangoError) return e;
  const err = e as AxiosLikeError;
  if (err?.response && typeof err.response.status === 'number') {
    const { status, data, headers } = err.response;
    const body = (data && typeof data === 'object' ? data : {}) as { error?: unknown; message?: unknown };
    let code = `http_${status}`;
    let message = `answered ${status}`;
    if (body.error && typeof body.error === 'object') {
      const inner = body.error as { code?: unknown; message?: unknown; errors?: unknown };
      if (typeof inner.code === 'string') code = inner.code;
      if (typeof inner.message === 'string') message = inner.message;
      else if (typeof inner.code === 'string') message = inner.code;
      // Validation errors (invalid_body, invalid_query_params) name each field in `errors`.
      if (Array.isArray(inner.errors) && inner.errors.length) {
        const parts = inner.errors.slice(0, 5).map((x: { message?: unknown; path?: unknown }) => {
          const path = Array.isArray(x?.path) ? x.path.join('.') : '';
          return `${path ? path + ': ' : ''}${typeof x?.message === 'string' ? x.message : 'invalid'}`;
        });
        message = `${message} (${parts.join('; ')})`;
      }
    } else if (typeof body.error === 'string') {
      message = body.error;
    } else if (typeof body.message === 'string') {
      message = body.message;
    } else if (typeof data === 'string' && data.trim()) {
      message = data.trim().slice(0, 200);
    }
    return new NangoError(status, code, message.slice(0, 500), status === 429 ? (retryAfter(headers) ?? 1) : retryAfter(headers));
  }
  if (err?.isAxiosError || err?.code) {
    const code = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? 'timeout' : (err.code ?? 'network_error').toLowerCase();
    return new NangoError(0, code, code === 'timeout' ? 'did not answer in time' : `unreachable (${err.code ?? 'network error'})`);
  }
  return new NangoError(0, 'client_error', (err as Error)?.message?.slice(0, 200) ?? 'unknown client error');
}
