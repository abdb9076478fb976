import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { ErrorBody, errorBody } from './error-body';
import { isExpectedFailure, markExpectedFailure } from './expected-failure';
import { pathOnly } from '../logging/safe-text';

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
};

/** Turns anything thrown into the shared error body; only unknown errors become 500s. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { body, headers } = this.toBody(exception, request);
    if (body.statusCode >= 500) this.log(exception, body, request);
    if (reply.sent) return;
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  /**
   * Dependency outages are expected: warn, the message only. Anything else is a bug: error, with
   * the stack. Lines name the route template, never the URL (its query string can carry an
   * OAuth code or an api key); `err` goes through the log error serializer (no SQL, no bound
   * values), which keeps the PostgreSQL SQLSTATE as `err.code`.
   */
  private log(exception: unknown, body: ErrorBody, request?: FastifyRequest): void {
    const route = request?.routeOptions?.url ?? pathOnly(request?.url);
    const where = `${request?.method} ${route}`;
    const fields = { reqId: request?.id, method: request?.method, route, statusCode: body.statusCode, code: body.code };
    if (isExpectedFailure(exception)) {
      if (request?.raw) markExpectedFailure(request.raw);
      this.logger.warn(fields, `${body.statusCode} ${body.code} on ${where}: ${body.message}`);
      return;
    }
    this.logger.error({ ...fields, err: exception }, `Unhandled error on ${where}`);
  }

  toBody(exception: unknown, request?: FastifyRequest): { body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof DomainError) {
      const answer = exception.toHttp();
      return { body: errorBody(answer.status, answer.message, answer.code, answer.details), headers: answer.headers };
    }
    if (exception instanceof ThrottlerException) {
      return { body: errorBody(429, 'Too many requests, slow down', 'RATE_LIMITED'), headers: {} };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      let message = exception.message;
      if (typeof res === 'object' && res && 'message' in res) {
        const m = (res as { message: unknown }).message;
        message = Array.isArray(m) ? m.join('; ') : String(m);
      }
      if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message)) {
        return {
          body: errorBody(
            404,
            `Route ${request?.method ?? ''} ${pathOnly(request?.url) ?? ''} not found`.replace(/\s+/g, ' '),
            'ROUTE_NOT_FOUND',
          ),
          headers: {},
        };
      }
      return { body: errorBody(status, message, defaultCode(status)), headers: {} };
    }
    const db = fromDatabaseError(exception);
    if (db) return { body: db, headers: {} };
    const e = exception as { statusCode?: number; code?: string; message?: string } | undefined;
    if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      const code = (e.code && FASTIFY_CODES[e.code]) || defaultCode(e.statusCode);
      const message =
        e.statusCode === 413
          ? 'Request body is larger than the limit'
          : code === 'MALFORMED_BODY'
            ? `Malformed request body: ${e.message ?? 'could not be parsed'}`
            : (e.message ?? 'Bad request');
      return { body: errorBody(e.statusCode, message, code), headers: {} };
    }
    return { body: errorBody(500, 'Internal server error', 'INTERNAL'), headers: {} };
  }
}

/**
 * PostgreSQL rejecting a value the client sent (a NUL byte, text where a number belongs, a
 * string over a column's length) is the client's mistake: a 400, never a 500. The database's
 * own message is not echoed: it can quote the value.
 */
const CLIENT_DATA_ERRORS: Record<string, string> = {
  '22021': 'contains a character that cannot be stored (e.g. a NUL byte)',
  '22P02': 'has a value of the wrong type',
  '22P05': 'contains a character that cannot be stored',
  '22001': 'has a value longer than allowed',
  '22003': 'has a number out of range',
  '22007': 'has an invalid date or time',
  '22008': 'has a date or time out of range',
  '2201B': 'has an invalid pattern',
  '54001': 'is nested too deeply',
};

function fromDatabaseError(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof QueryFailedError)) return undefined;
  const code = (exception.driverError as { code?: string } | undefined)?.code ?? '';
  if (CLIENT_DATA_ERRORS[code]) return errorBody(400, `The request ${CLIENT_DATA_ERRORS[code]}`, 'INVALID_VALUE');
  if (code === '23505') return errorBody(409, 'This conflicts with an existing record', 'CONFLICT');
  if (code === '23503') return errorBody(400, 'The request refers to something that does not exist', 'INVALID_REFERENCE');
  return undefined;
}

function defaultCode(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}
