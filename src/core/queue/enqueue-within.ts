import { Logger } from '@nestjs/common';
import { withDeadline } from '../async/deadline';
import { AppException } from '../errors/app-exception';

/** Seconds a client is told to wait (Retry-After) when the queue refused its work. */
export const QUEUE_RETRY_AFTER_SECONDS = 5;

export interface EnqueueDeadline {
  /** How long Redis may take to store the work. */
  ms: number;
  /** The 503's message: what was not done, in the caller's words (never a secret, never Redis's own error). */
  message: string;
}

const logger = new Logger('Queue');

/**
 * Runs `work` (a job add, a bulk add, a scheduler write) against a deadline. BullMQ's own
 * connections wait for Redis forever, so an unbounded add while Redis is away would hang the
 * request. Past `ms`, or when Redis refuses, the caller gets 503 QUEUE_UNAVAILABLE with its
 * message: the work is not stored (a late add may still land; callers that keep state about it
 * must tolerate that). The cause is logged, not answered; an AppException the work throws goes out as it is.
 */
export async function enqueueWithin<T>(work: () => Promise<T>, deadline: EnqueueDeadline): Promise<T> {
  try {
    return await withDeadline(work(), deadline.ms, `Redis did not take the work within ${deadline.ms} ms`);
  } catch (e) {
    // A deliberate answer from the work itself (a trigger refusing a setting) is not the queue being away.
    if (e instanceof AppException) throw e;
    throw queueUnavailable(deadline.message, (e as Error)?.message ?? String(e));
  }
}

/** The one QUEUE_UNAVAILABLE answer; `reason` only goes to the log. */
export function queueUnavailable(message: string, reason: string): AppException {
  logger.warn(`Enqueue refused: ${reason}`);
  return AppException.unavailable('QUEUE_UNAVAILABLE', message, QUEUE_RETRY_AFTER_SECONDS);
}
