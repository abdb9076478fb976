import { CronExpressionParser } from 'cron-parser';
import { AppException, type ErrorDetail } from '../../../core/errors/app-exception';
import type { StoredTrigger } from '../../workflows';
import { normalizeSchedule } from './normalize-schedule';
import { repeatOptionsFor } from './repeat-options';

export interface SchedulePreviewInput {
  intervalSeconds?: number;
  cron?: string;
  timezone?: string;
  count?: number;
  workflowId?: string;
}

export interface SchedulePreview {
  fireTimes: string[];
  timezone: string;
  description: string;
}

/** The field prefix normalizeSchedule is given, stripped again so a problem names the body's own field. */
const PREFIX = 'schedule';

/**
 * The next `count` fire times of a schedule, as the scheduler fires it. The schedule goes
 * through the very validation a saved schedule trigger does (normalizeSchedule), and the times
 * come from the same repeat options BullMQ is given (repeatOptionsFor):
 * - cron: the next times of the expression in its zone, computed by cron-parser as BullMQ does;
 * - interval: BullMQ fires an `every` scheduler at k x every + offset (ms since the epoch), the
 *   offset being fixed per workflow id. With `workflowId` those exact times are returned; without
 *   one (a workflow not saved yet) the times are from now, every N seconds.
 */
export function previewSchedule(input: SchedulePreviewInput, now = new Date()): SchedulePreview {
  const count = input.count ?? 5;
  const hasInterval = input.intervalSeconds !== undefined;
  const hasCron = input.cron !== undefined;
  if (hasInterval && hasCron)
    throw AppException.validation([{ field: 'intervalSeconds', message: 'give either intervalSeconds or cron, not both' }]);
  if (!hasInterval && !hasCron) throw AppException.validation([{ field: 'cron', message: 'give cron or intervalSeconds' }]);

  const problems: ErrorDetail[] = [];
  const trigger: StoredTrigger = { type: 'schedule', ...pick(input) };
  const schedule = normalizeSchedule(trigger, PREFIX, problems);
  if (!schedule) {
    throw AppException.validation(
      problems.map((p) => ({ ...p, field: (p.field ?? '').replace(new RegExp(`^${PREFIX}\\.?`), '') || 'cron' })),
    );
  }

  if ('intervalSeconds' in schedule) {
    const every = schedule.intervalSeconds * 1000;
    const fireTimes: string[] = [];
    if (input.workflowId) {
      const offset = repeatOptionsFor(schedule, input.workflowId).offset ?? 0;
      // The first k x every + offset after now, then every `every`.
      let next = Math.floor((now.getTime() - offset) / every) * every + offset + every;
      for (let i = 0; i < count; i++, next += every) fireTimes.push(new Date(next).toISOString());
    } else {
      for (let i = 1; i <= count; i++) fireTimes.push(new Date(now.getTime() + i * every).toISOString());
    }
    return { fireTimes, timezone: 'UTC', description: `Every ${humanInterval(schedule.intervalSeconds)}` };
  }

  const expr = CronExpressionParser.parse(schedule.cron, { tz: schedule.timezone, currentDate: now });
  const fireTimes: string[] = [];
  for (let i = 0; i < count && expr.hasNext(); i++) fireTimes.push(expr.next().toDate().toISOString());
  return { fireTimes, timezone: schedule.timezone, description: `Cron "${schedule.cron}" in ${schedule.timezone}` };
}

function pick(input: SchedulePreviewInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.intervalSeconds !== undefined) out.intervalSeconds = input.intervalSeconds;
  if (input.cron !== undefined) out.cron = input.cron;
  if (input.timezone !== undefined) out.timezone = input.timezone;
  return out;
}

/** "10 minutes", "1 hour 30 minutes", "45 seconds". */
export function humanInterval(seconds: number): string {
  const parts: string[] = [];
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = seconds;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.join(' ');
}
