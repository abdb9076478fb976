/** Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random). */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The delay before attempt `attempt` (0 = the first retry). Jitter spreads the reconnects of
 * many consumers (every worker, every workflow) after one broker restart; the fixed half keeps
 * a failing broker from being hammered.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = RECONNECT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
