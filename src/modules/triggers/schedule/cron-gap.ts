import { CronExpressionParser } from 'cron-parser';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far ahead daylight-saving changes are looked for (every zone changes at most twice a year). */
const DST_LOOKAHEAD_DAYS = 366;
/** A safety stop for each walk (a minute-level walk of 25 hours has at most 1,500 fires). */
const MAX_FIRES_PER_WINDOW = 5_000;

export interface CronGap {
  seconds: number;
  /** The two real fire times (UTC) that are closest, for the error message. */
  between: [string, string];
}

/**
 * Two real fire times of a cron expression in its time zone, as BullMQ (which uses the same
 * cron-parser) would fire it, that are less than `minSeconds` apart; null when there are none.
 *
 * Every firing minute fires every listed second, so the walk runs on a "minute skeleton" (the
 * expression with only its first second) and adds the seconds back: two seconds in the same
 * minute are (next second - this second) apart, and the last second of one firing minute is
 * (next minute - this minute) - (last second - first second) before the first of the next.
 * On the wall clock firing minutes are at least 60 s apart, so the skeleton is walked for 25
 * hours (a whole day and the step into the next) only when 60 s minus that spread is below the
 * minimum, to find whether two firing minutes are adjacent. It is always walked for an hour
 * either side of every daylight-saving change of the coming year in the zone, where wall-clock
 * gaps shrink in real time (01:59:55 then 03:00:00 is 5 s apart). The walks are short (at most
 * 1,500 and 2 x 120 fires) because every schedule save pays for them.
 */
export function cronGapBelow(cron: string, tz: string, minSeconds: number, now = new Date()): CronGap | null {
  const fields = cron.trim().split(/\s+/);
  const seconds =
    fields.length === 6
      ? CronExpressionParser.parse(cron, { tz, strict: false })
          .fields.second.values.map(Number)
          .sort((a, b) => a - b)
      : [0];
  const skeleton = fields.length === 6 ? [String(seconds[0]), ...fields.slice(1)].join(' ') : cron;
  const spread = (seconds[seconds.length - 1] - seconds[0]) * 1000;

  const tooClose = (fromMs: number, toMs: number): CronGap | null =>
    toMs - fromMs < minSeconds * 1000
      ? { seconds: (toMs - fromMs) / 1000, between: [new Date(fromMs).toISOString(), new Date(toMs).toISOString()] }
      : null;
  const first = firstFire(skeleton, tz, now);
  if (first === null) return null;
  for (let i = 1; i < seconds.length; i++) {
    const gap = tooClose(first + (seconds[i - 1] - seconds[0]) * 1000, first + (seconds[i] - seconds[0]) * 1000);
    if (gap) return gap;
  }

  const windows: Array<[number, number]> = 60_000 - spread < minSeconds * 1000 ? [[first - 1000, first + 25 * HOUR]] : [];
  for (const change of offsetChanges(tz, now.getTime(), DST_LOOKAHEAD_DAYS)) windows.push([change - HOUR, change + HOUR]);

  for (const [start, end] of windows) {
    const expr = CronExpressionParser.parse(skeleton, { tz, strict: false, currentDate: new Date(start), endDate: new Date(end) });
    let prev: number | null = null;
    for (let n = 0; n < MAX_FIRES_PER_WINDOW && expr.hasNext(); n++) {
      const at = expr.next().getTime();
      const gap = prev === null ? null : tooClose(prev + spread, at);
      if (gap) return gap;
      prev = at;
    }
  }
  return null;
}

function firstFire(cron: string, tz: string, now: Date): number | null {
  try {
    return CronExpressionParser.parse(cron, { tz, strict: false, currentDate: now }).next().getTime();
  } catch {
    return null; // never fires (e.g. February 30th)
  }
}

/** Instants (ms) within the next `days` days where the zone's UTC offset changes. */
function offsetChanges(tz: string, fromMs: number, days: number): number[] {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
  const offsetAt = (ms: number) => fmt.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value;
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    let lo = fromMs + d * DAY;
    let hi = lo + DAY;
    if (offsetAt(lo) === offsetAt(hi)) continue;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (offsetAt(mid) === offsetAt(lo)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}
