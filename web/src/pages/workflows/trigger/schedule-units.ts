export type IntervalUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export const UNIT_SECONDS: Record<IntervalUnit, number> = { seconds: 1, minutes: 60, hours: 3_600, days: 86_400 };

/** 600 → 10 minutes: the largest unit that divides the interval evenly. */
export function splitInterval(seconds: number | undefined): { amount: string; unit: IntervalUnit } {
  if (seconds === undefined) return { amount: '', unit: 'minutes' };
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) return { amount: String(seconds / UNIT_SECONDS[unit]), unit };
  }
  return { amount: String(seconds), unit: 'seconds' };
}

/** The IANA zones this browser knows, UTC first (supportedValuesOf may leave UTC out). */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A fire time on the wall clock of `timeZone`, with the zone's abbreviation. */
export function formatIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long', timeZone }).format(new Date(iso));
}
