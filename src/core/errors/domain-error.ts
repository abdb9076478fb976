/** One problem of a failed request, naming the field when there is one. */
export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

export interface DomainErrorOptions {
  /** Stable machine-readable code (`SOAP_FAULT`, `KONG_UNREACHABLE`, …). */
  code: string;
  /** The HTTP status of the failure: what Flowgate answers when it reaches a request (default 500: a bug). */
  status?: number;
  /** True when running the same thing again later may succeed (drives run retries). */
  retryable?: boolean;
  details?: ErrorDetail[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** What the HTTP edge answers for a domain error: the shared body's fields and its headers. */
export interface HttpAnswer {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetail[];
  headers: Record<string, string>;
}

/**
 * The base of every error a feature raises on purpose: it carries what the HTTP edge (status,
 * code, details), the run engine (retryable) and logs need, so no layer inspects class names
 * or message text. `AppException` is the request-facing subclass with ready-made constructors.
 * Messages must never contain secrets: they reach responses, run records and logs.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly details?: ErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(message: string, options: DomainErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /**
   * The answer the global exception filter sends. By default the error's own fields, with
   * `Retry-After` when it knows when to come back; an error whose `status` and `code` are a
   * third party's (NangoError) overrides this with Flowgate's answer.
   */
  toHttp(): HttpAnswer {
    return {
      status: this.status,
      code: this.code,
      message: this.message,
      details: this.details,
      headers: this.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) },
    };
  }
}
