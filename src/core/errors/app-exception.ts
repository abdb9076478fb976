import { HttpStatus } from '@nestjs/common';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/**
 * The one error type features throw. Each feature subclasses it (or uses a code prefix) so
 * the global filter can turn it into the shared body `{ statusCode, error, message, code?, details? }`.
 */
export class AppException extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: ErrorDetail[],
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppException';
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
