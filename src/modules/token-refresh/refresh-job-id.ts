/** UTC hour of `at` as YYYYMMDDHH: the sweep's bucket. */
export function hourBucket(at: Date): string {
  return at.toISOString().slice(0, 13).replace(/[-T]/g, '');
}

/**
 * One refresh job per company per hour: a second sweep (or refresh-all) in the same hour
 * adds a job whose id already exists, which BullMQ ignores.
 */
export function refreshJobId(companyId: string, at: Date): string {
  return `refresh:${companyId}:${hourBucket(at)}`;
}
