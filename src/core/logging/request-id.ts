import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's genReqId: accepts a caller's X-Request-Id when it looks sane, otherwise makes
 * one. Fastify puts it on the raw request, where pino-http picks it up for every log line;
 * an onRequest hook echoes it back.
 */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

/** What the auth guard leaves on the raw request so every log line of it can name the caller. */
export interface RequestLogContext {
  tenantId?: string;
  userId?: string;
}

export const LOG_CONTEXT = Symbol.for('flowgate.logContext');

export function setLogContext(raw: IncomingMessage, ctx: RequestLogContext): void {
  (raw as unknown as Record<symbol, RequestLogContext>)[LOG_CONTEXT] = ctx;
}

export function getLogContext(raw: IncomingMessage): RequestLogContext {
  return (raw as unknown as Record<symbol, RequestLogContext>)[LOG_CONTEXT] ?? {};
}

const ROUTE = Symbol.for('flowgate.routeTemplate');

/**
 * The route template (`/api/workflows/:id`) the request matched, left on the raw request by
 * an onRequest hook: what request and error log lines name, since a concrete URL can carry
 * secrets (a query string) and ids that make lines hard to group.
 */
export function setRouteTemplate(raw: IncomingMessage, route: string | undefined): void {
  if (route) (raw as unknown as Record<symbol, string>)[ROUTE] = route;
  else delete (raw as unknown as Record<symbol, string>)[ROUTE];
}

export function getRouteTemplate(raw: IncomingMessage): string | undefined {
  return (raw as unknown as Record<symbol, string | undefined>)[ROUTE];
}
