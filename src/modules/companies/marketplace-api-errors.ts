import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../core/errors/error-response.dto';

/**
 * Route-specific error responses of the marketplace routes, each naming the codes it can carry
 * (the generic descriptions of `@ApiErrors` cannot say which Nango failure a route passes on).
 * The codes of Nango failures come from NangoError.toAppException.
 */
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } } };

export const ApiError = (status: number, description: string) =>
  ApiResponse({ status, description, type: ErrorResponseDto, ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}) });

export const TENANT_RATE_LIMITED =
  '`RATE_LIMITED`: the per-client limit; `TENANT_RATE_LIMITED`: RATE_LIMIT_REQUESTS marketplace requests per tenant per minute';
export const NANGO_RATE_LIMITED = '`NANGO_RATE_LIMITED`: Nango asked Flowgate to slow down';
export const NANGO_BAD_GATEWAY =
  "`NANGO_AUTH_FAILED`: Nango refused Flowgate's secret key (an operator problem); `NANGO_UPSTREAM_ERROR`: Nango answered 5xx";
export const NANGO_UNAVAILABLE =
  '`NANGO_NOT_CONFIGURED`: NANGO_HOST / NANGO_SECRET_KEY not set (`details` names them); `NANGO_UNREACHABLE`: Nango did not answer; or PostgreSQL/Redis is away';
export const DEPENDENCY_UNAVAILABLE = 'PostgreSQL or Redis is unavailable';
export const NANGO_REJECTED = '`NANGO_REJECTED`: Nango refused the request (its reason in `message` and `details[].nangoCode`)';
export const NANGO_NEEDS_REAUTH =
  "`NANGO_NEEDS_REAUTH`: the provider refused to refresh the connection's token; the customer must connect again";
