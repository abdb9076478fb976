import { CronExpressionParser } from 'cron-parser';
import type { ErrorDetail } from '../../../core/errors/app-exception';
import type { StoredTrigger } from '../../workflows';
import { cronGapBelow } from './cron-gap';
import { MIN_SCHEDULE_GAP_SECONDS, ScheduleTrigger } from './schedule-trigger.types';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * A schedule trigger as stored, or null with the problems: exactly one of `intervalSeconds` and
 * `cron`; a cron expression of 5 or 6 fields that parses, in an IANA time zone (default UTC),
 * whose real fire times are at least MIN_SCHEDULE_GAP_SECONDS apart. Types and bounds have
 * passed the schema already.
 */
export function normalizeSchedule(t: StoredTrigger, field: string, problems: ErrorDetail[]): ScheduleTrigger | null {
  const hasInterval = t.intervalSeconds !== undefined;
  const hasCron = t.cron !== undefined;
  if (hasInterval === hasCron) {
    problems.push({ field, message: 'a schedule needs exactly one of intervalSeconds or cron' });
    return null;
  }
  if (hasInterval) {
    if (t.timezone !== undefined) {
      problems.push({ field: `${field}.timezone`, message: 'a time zone applies to cron schedules only' });
      return null;
    }
    return { type: 'schedule', intervalSeconds: t.intervalSeconds as number };
  }
  const timezone = (t.timezone as string | undefined) ?? 'UTC';
  let ok = true;
  if (!isValidTimeZone(timezone)) {
    problems.push({ field: `${field}.timezone`, message: `"${timezone}" is not an IANA time zone (e.g. Europe/Paris)` });
    ok = false;
  }
  const cron = (t.cron as string).trim();
  const fields = cron.split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    problems.push({ field: `${field}.cron`, message: `"${cron}" must have 5 fields (minute hour day month weekday) or 6 with seconds` });
    return null;
  }
  try {
    CronExpressionParser.parse(cron, { tz: isValidTimeZone(timezone) ? timezone : 'UTC', strict: false });
  } catch (e) {
    problems.push({ field: `${field}.cron`, message: `"${cron}" is not a valid cron expression: ${(e as Error).message}` });
    return null;
  }
  if (!ok) return null;
  // The interval minimum holds for cron too, on real fire times in the zone (DST included).
  const gap = cronGapBelow(cron, timezone, MIN_SCHEDULE_GAP_SECONDS);
  if (gap) {
    problems.push({
      field: `${field}.cron`,
      message: `"${cron}" fires ${gap.seconds} s apart (${gap.between[0]} and ${gap.between[1]}); a schedule needs at least ${MIN_SCHEDULE_GAP_SECONDS} s between runs`,
    });
    return null;
  }
  return { type: 'schedule', cron, timezone };
}
