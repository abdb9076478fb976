import type { IncomingMessage } from 'node:http';
import { DomainError } from './domain-error';

/**
 * A 502/503/504 that the code raised on purpose: a dependency that is down, not configured,
 * failing or too slow (readiness, Redis refusing a job, Nango or Kong unconfigured or
 * unreachable). Normal in operation and already explained by its message, so it is logged at
 * warn without a stack. Any other 5xx (an unknown error, a deliberate 500) is a bug: error
 * level, with the stack.
 */
export function isExpectedFailure(exception: unknown): exception is DomainError {
  if (!(exception instanceof DomainError)) return false;
  const status = exception.toHttp().status;
  return status >= 502 && status <= 504;
}

const EXPECTED = Symbol.for('flowgate.expectedFailure');

/** Left on the raw request by the error filter so the request's own log line uses warn, not error. */
export function markExpectedFailure(raw: IncomingMessage): void {
  (raw as unknown as Record<symbol, boolean>)[EXPECTED] = true;
}

export function wasExpectedFailure(raw: IncomingMessage): boolean {
  return (raw as unknown as Record<symbol, boolean | undefined>)[EXPECTED] === true;
}
