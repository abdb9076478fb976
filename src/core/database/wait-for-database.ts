import type { StartupLog } from '../logging/bootstrap-logger';
import { databaseName, describeDatabaseUrl, describeServer, withoutPassword } from './database-url';
import { ensureDatabase, MISSING_DATABASE, pgErrorCode } from './ensure-database';

/** PostgreSQL could not be used within the budget, or refused in a way waiting cannot fix. */
export class DatabaseStartError extends Error {}

export interface DatabaseStartOptions {
  url: string;
  /** Create the database when it does not exist (DATABASE_CREATE). */
  create: boolean;
  /** Total time to keep trying (DATABASE_CONNECT_TIMEOUT_SECONDS). */
  connectTimeoutSeconds: number;
}

/** Delays between attempts double from FIRST_DELAY_MS up to MAX_DELAY_MS. */
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
/** One attempt's connect timeout: a host that drops packets must not eat the whole budget. */
const ATTEMPT_TIMEOUT_MS = 5_000;
const MIN_ATTEMPT_TIMEOUT_MS = 1_000;

/**
 * Refusals that waiting cannot fix (wrong password, role not allowed, no privilege): the
 * process stops at once instead of spending its budget on them.
 */
const FATAL_CODES = new Set(['28P01', '28000', '42501']);

/** The wait after failed attempt `attempt` (1-based): 0.5 s, 1 s, 2 s, 4 s, 8 s, then 10 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1));
}

/**
 * Waits until PostgreSQL accepts a connection to DATABASE_URL's database, retrying with
 * bounded exponential backoff for at most `connectTimeoutSeconds` (a database that starts
 * after Flowgate, as on a platform that boots both at once, or that restarts during a
 * deploy). When the database does not exist it is created if `create` is on, and is a clear
 * error otherwise. Every failed attempt is logged with its number, the delay and the error's
 * code and message (never the password). Throws DatabaseStartError when it gives up.
 */
export async function waitForDatabase(opts: DatabaseStartOptions, log: StartupLog): Promise<void> {
  const where = describeDatabaseUrl(opts.url);
  const deadline = Date.now() + opts.connectTimeoutSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    const timeoutMs = Math.max(MIN_ATTEMPT_TIMEOUT_MS, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now()));
    let error: { code?: string; message: string };
    try {
      const created = await ensureDatabase(opts.url, { create: opts.create, timeoutMs });
      if (created) log(`created database ${databaseName(opts.url)}`, { database: where });
      if (attempt > 1) log(`PostgreSQL answered on attempt ${attempt}`, { attempt, database: where });
      return;
    } catch (e) {
      error = describeError(e, opts.url);
    }
    if (error.code === MISSING_DATABASE && !opts.create) {
      throw new DatabaseStartError(
        `DATABASE_URL: database "${databaseName(opts.url)}" does not exist on ${describeServer(opts.url)}. ` +
          'Create it, or set DATABASE_CREATE=true to let Flowgate create it (the default outside production).',
      );
    }
    if (error.code && FATAL_CODES.has(error.code)) {
      throw new DatabaseStartError(
        `PostgreSQL at ${where} refused: ${error.message} (${error.code}). Check DATABASE_URL; waiting will not help.`,
      );
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) {
      throw new DatabaseStartError(
        `PostgreSQL at ${where} did not answer within ${opts.connectTimeoutSeconds} s (${attempt} attempts); ` +
          `last error: ${error.code ? `${error.code} ` : ''}${error.message}. ` +
          'Check DATABASE_URL, or wait longer with DATABASE_CONNECT_TIMEOUT_SECONDS.',
      );
    }
    const delayMs = Math.min(retryDelayMs(attempt), remainingMs);
    log(
      `PostgreSQL not reachable yet (attempt ${attempt}); retrying in ${delayMs} ms`,
      { attempt, delayMs, database: where, error },
      'warn',
    );
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** Code and message of a driver or socket error, the password taken out. */
function describeError(e: unknown, url: string): { code?: string; message: string } {
  const err = e as Error & { errors?: unknown[] };
  // A host name with several addresses fails as an AggregateError whose own message is empty.
  const message = err?.message || (Array.isArray(err?.errors) ? err.errors.map((x) => (x as Error)?.message).join('; ') : '') || String(e);
  const code = pgErrorCode(e);
  return { ...(code ? { code } : {}), message: withoutPassword(message, url) };
}
