import { HttpStatus } from '@nestjs/common';
import { DomainError, ErrorDetail, HttpAnswer } from './domain-error';

export type { ErrorDetail };

/**
 * The error a request handler throws for an answer it already knows (400, 404, 409, 503, …),
 * with ready-made constructors. It is a DomainError like every other deliberate failure, so
 * the global filter, the run engine and the logs treat them alike; features either throw it
 * directly (often through a small factory of their own, such as the credential errors) or
 * subclass DomainError when their failure carries more than an HTTP answer (NangoError).
 * `headers` (`Retry-After`) go out with the body; `retryable` follows the status (5xx).
 */
export class AppException extends DomainError {
  constructor(
    status: number,
    code: string,
    message: string,
    details?: ErrorDetail[],
    public readonly headers?: Record<string, string>,
  ) {
    super(message, { status, code, details, retryable: status >= 500 });
    this.name = 'AppException';
  }

  override toHttp(): HttpAnswer {
    return { status: this.status, code: this.code, message: this.message, details: this.details, headers: this.headers ?? {} };
  }

  static badRequest(code: string, message: string, details?: AppException['details']) {
    return new AppException(HttpStatus.BAD_REQUEST, code, message, details);
  }
  static unauthorized(message = 'Authentication required', code = 'UNAUTHORIZED') {
    return new AppException(HttpStatus.UNAUTHORIZED, code, message);
  }
  static forbidden(message = 'You are not allowed to do this', code = 'FORBIDDEN') {
    return new AppException(HttpStatus.FORBIDDEN, code, message);
  }
  static notFound(what: string, code = 'NOT_FOUND') {
    return new AppException(HttpStatus.NOT_FOUND, code, `${what} not found`);
  }
  static conflict(code: string, message: string) {
    return new AppException(HttpStatus.CONFLICT, code, message);
  }
  static unavailable(code: string, message: string, retryAfterSeconds?: number) {
    return new AppException(
      HttpStatus.SERVICE_UNAVAILABLE,
      code,
      message,
      undefined,
      retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : undefined,
    );
  }
  static tooManyRequests(message: string, retryAfterSeconds: number, code = 'RATE_LIMITED') {
    return new AppException(HttpStatus.TOO_MANY_REQUESTS, code, message, undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
  static validation(details: ErrorDetail[]) {
    const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
    return new AppException(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', `Validation failed: ${summary}`, details);
  }
}
