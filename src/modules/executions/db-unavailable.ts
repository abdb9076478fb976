/**
 * True when an error means PostgreSQL cannot be reached (as opposed to a bad query): the job is
 * put back to wait, without using one of its attempts, until the database answers again.
 */
export function isDbUnavailable(e: unknown): boolean {
  const err = e as { code?: string; message?: string; driverError?: { code?: string; message?: string } } | undefined;
  const code = err?.driverError?.code ?? err?.code ?? '';
  const message = `${err?.message ?? ''} ${err?.driverError?.message ?? ''}`;
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      'EHOSTUNREACH',
      '57P01',
      '57P02',
      '57P03',
      '08000',
      '08001',
      '08003',
      '08006',
      '53300',
    ].includes(code)
  ) {
    return true;
  }
  return /Connection terminated|connection timeout|Connection refused|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)|Cannot use a pool after calling end|not queryable/i.test(
    message,
  );
}
