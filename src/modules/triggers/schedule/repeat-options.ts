import type { RepeatOptions } from 'bullmq';
import { createHash } from 'node:crypto';
import type { ScheduleTrigger } from './schedule-trigger.types';

/**
 * Interval schedules are spread over their interval by workflow id (a stable offset), so that
 * thousands of "every 60 s" workflows do not all fire in the same millisecond. Cron schedules
 * fire exactly when asked.
 */
export function repeatOptionsFor(trigger: ScheduleTrigger, workflowId: string): Omit<RepeatOptions, 'key'> {
  if ('intervalSeconds' in trigger) {
    const every = trigger.intervalSeconds * 1000;
    const hash = createHash('sha1').update(workflowId).digest().readUInt32BE(0);
    // offset 0 means "none" to BullMQ, so keep it within 1..every-1
    const offset = 1 + (hash % (every - 1));
    return { every, offset };
  }
  return { pattern: trigger.cron, tz: trigger.timezone };
}

/** Whether a stored job scheduler already repeats as `repeat` says (the reconciliation leaves it alone then). */
export function sameRepeat(
  have: { every?: number | string | null; pattern?: string | null; tz?: string | null } | undefined,
  repeat: Omit<RepeatOptions, 'key'>,
): boolean {
  if (!have) return false;
  return repeat.every !== undefined
    ? Number(have.every) === repeat.every
    : have.pattern === repeat.pattern && (have.tz ?? undefined) === (repeat.tz ?? undefined);
}
