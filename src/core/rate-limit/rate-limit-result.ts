/** One counted request against a budget (the webhook ingest limiter answers these). */
export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}
