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
