import type { ErrorDetail } from './app-exception';

export interface DomainErrorOptions {
  /** Stable machine-readable code (`SOAP_FAULT`, `KONG_UNREACHABLE`, …). */
  code: string;
  /** The HTTP status Flowgate answers when this error reaches a request (default 500: a bug). */
  status?: number;
  /** True when running the same thing again later may succeed (drives run retries). */
  retryable?: boolean;
  details?: ErrorDetail[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The base of every error a feature raises on purpose: it carries what the HTTP edge (status,
 * code, details), the run engine (retryable) and logs need, so no layer inspects class names
 * or message text. `AppException` is the request-facing sibling with ready-made constructors.
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
}
