import { createHash } from 'node:crypto';
import { isUuid } from '../../core/validation/uuid';

/** Re-exported: the executions module's callers (and the webhooks module) know it from here. */
export { isUuid };

/**
 * The execution id of a job: the job id itself for webhook, manual and retry runs (a UUID chosen
 * at enqueue), or a UUID derived from it for schedule ticks (`repeat:<workflowId>:<millis>`), so
 * every attempt of one tick writes the same row.
 */
export function executionIdForJob(jobId: string): string {
  if (isUuid(jobId)) return jobId.toLowerCase();
  const h = createHash('sha1').update(`flowgate-execution:${jobId}`).digest('hex');
  // RFC 4122 layout, version 5, variant 10xx
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A schedule tick's planned time, from its job id `repeat:<schedulerId>:<millis>`. */
export function scheduledForFromJobId(jobId: string): Date | null {
  const m = /^repeat:.+:(\d{10,})$/.exec(jobId);
  return m ? new Date(Number(m[1])) : null;
}

/** AAD binding a sealed input to its execution. */
export function inputAad(executionId: string): string {
  return `execution-input:${executionId}`;
}
