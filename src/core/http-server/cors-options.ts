import type { FastifyCorsOptions } from '@fastify/cors';
import { AppConfig } from '../config/app-config';
import { SECURITY_SCHEMES } from '../openapi/security-schemes';

/** Every method an operation of the API uses (HEAD comes with GET). */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The request headers a browser client may send: the bodies' content type, the bearer token,
 * the header parameters (Idempotency-Key, a caller's X-Request-Id) and every header a security
 * scheme is read from. Named, not reflected from the preflight, so the list is the contract
 * (test/cors.e2e-spec.ts derives its own from the OpenAPI document and compares).
 */
export const CORS_ALLOWED_HEADERS = [
  'Accept',
  'Content-Type',
  'Authorization',
  'Idempotency-Key',
  'X-Request-Id',
  ...Object.values(SECURITY_SCHEMES).flatMap((s) => (s.type === 'apiKey' && s.in === 'header' && s.name ? [s.name] : [])),
];

/**
 * The response headers a browser script may read (only the CORS-safelisted ones otherwise):
 * the request id to quote in a support request, Retry-After on 429 and 503, the rate-limit
 * counters, Idempotent-Replayed on a repeated Idempotency-Key, and Location (where the OAuth
 * callback's 302 leads).
 */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'Location',
  'Retry-After',
  'Idempotent-Replayed',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

/** Browsers may cache a preflight this long (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS_ORIGINS: none (default) sends no CORS headers at all; `*` allows any origin, but never
 * with credentials (any site could then act with a signed-in browser's cookies); otherwise only the listed origins get
 * Access-Control-Allow-Origin.
 */
export function corsOptions(origins: AppConfig['http']['corsOrigins']): FastifyCorsOptions {
  const any = origins.includes('*');
  return {
    origin: any ? true : origins.length ? origins : false,
    credentials: !any,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
  };
}
