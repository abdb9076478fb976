/** The shortest time between two runs of a schedule, for intervals and for cron fire times alike. */
export const MIN_SCHEDULE_GAP_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 31 * 86_400;

/** A schedule trigger as stored: an interval, or a cron expression in a time zone. */
export type ScheduleTrigger = { type: 'schedule'; intervalSeconds: number } | { type: 'schedule'; cron: string; timezone: string };
