/** UTC hour of `at` as YYYYMMDDHH: the sweep's bucket. */
export function hourBucket(at: Date): string {
  return at.toISOString().slice(0, 13).replace(/[-T]/g, '');
}

/**
 * The scheduled sweep's job: one per company per hour. A second sweep in the same hour adds a
 * job whose id already exists, which BullMQ ignores.
 */
export function refreshJobId(companyId: string, at: Date): string {
  return `refresh:${companyId}:${hourBucket(at)}`;
}

/**
 * An operator's refresh-all: its own id per call, so every call enqueues (see
 * TokenRefreshService). Three `:`-separated parts, the most BullMQ accepts in a custom id.
 */
export function manualRefreshJobId(companyId: string, sweepId: string): string {
  return `refresh:${companyId}:manual-${sweepId}`;
}
