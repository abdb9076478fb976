import { withDeadline } from '../../core/async/deadline';

/**
 * BullMQ connections wait for Redis forever (maxRetriesPerRequest: null), so a job add while
 * Redis is away would hang the request. Producers bound it: past this, the work is not
 * stored and the caller answers 503.
 */
export const ENQUEUE_TIMEOUT_MS = 3000;

export function withEnqueueTimeout<T>(p: Promise<T>, what: string, ms = ENQUEUE_TIMEOUT_MS): Promise<T> {
  return withDeadline(p, ms, `${what}: Redis did not take the job within ${ms} ms`);
}
