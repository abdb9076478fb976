import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { serializeError } from './error-serializer';
import { redactLogObject } from './redaction';
import { stripQueryStrings } from '../secrets';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What every Flowgate logger is built from (the bootstrap logger and the app logger alike). */
export interface LogSettings {
  level: string;
  role: string;
  format: LogFormat;
}

/** LOG_FORMAT's default: human-readable only for a developer watching a terminal. */
export function defaultLogFormat(nodeEnv: string | undefined, isTty = !!process.stdout.isTTY): LogFormat {
  return (nodeEnv ?? 'development') === 'development' && isTty ? 'pretty' : 'json';
}

/** Every message: URLs keep no query string and no credentials, whoever built the text. */
function safeMessage(msg: unknown): unknown {
  return typeof msg === 'string' ? stripQueryStrings(msg) : msg;
}

/**
 * The base fields and redaction of every line, whichever logger writes it: secret-named keys
 * hidden and errors reduced to their safe shape (redaction.ts, core/secrets) in the line's fields and in
 * every child logger's bindings; `err` through the same error serializer (pino-http passes
 * its errors there); messages without query strings.
 */
export function baseLoggerOptions(s: LogSettings): LoggerOptions {
  return {
    level: s.level,
    base: { service: 'flowgate', role: s.role },
    formatters: { log: redactLogObject, bindings: redactLogObject },
    serializers: { err: serializeError, msg: safeMessage },
  };
}

/**
 * pino applies `formatters.bindings` to the root's base only, never to a child's bindings
 * (pino-http's request child, nestjs-pino's per-request fields): the same redaction is applied
 * here. Children are created from their parent's prototype chain, so every descendant of the
 * root goes through this one `child`.
 */
function redactChildBindings(logger: Logger): Logger {
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactLogObject(bindings), options);
  } as Logger['child'];
  return logger;
}

let stdout: DestinationStream | undefined;
let pretty: DestinationStream | null | undefined;
let warnedNoPretty = false;

/**
 * The process's one stdout stream, shared by every logger so lines keep their order.
 * Synchronous: a line logged is a line out, even when the process exits, crashes or re-raises
 * its stop signal right after. It costs one write per line (about 5 µs to a pipe), which is
 * also what a busy loop of asynchronous writes costs; the webhook path logs nothing per event
 * and a run logs two lines.
 */
function jsonStdout(): DestinationStream {
  return (stdout ??= pino.destination({ dest: 1, sync: true }));
}

/**
 * pino-pretty is a devDependency: production images prune it, so it is loaded only when asked
 * for and present. Returns null when it is missing.
 */
function prettyStdout(): DestinationStream | null {
  if (pretty !== undefined) return pretty;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: absent in production images
    const build = require('pino-pretty') as (opts: Record<string, unknown>) => DestinationStream;
    pretty = build({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
  } catch {
    pretty = null;
  }
  return pretty;
}

/**
 * A pino logger with Flowgate's base fields and redaction, writing to `destination` (tests pass
 * a capturing stream) or to stdout in the configured format.
 */
export function createLogger(s: LogSettings, destination?: DestinationStream): Logger {
  if (destination) return redactChildBindings(pino(baseLoggerOptions(s), destination));
  const prettyStream = s.format === 'pretty' ? prettyStdout() : null;
  const logger = redactChildBindings(pino(baseLoggerOptions(s), prettyStream ?? jsonStdout()));
  if (s.format === 'pretty' && !prettyStream && !warnedNoPretty) {
    warnedNoPretty = true;
    logger.warn('LOG_FORMAT=pretty needs pino-pretty, which is not installed here: writing JSON');
  }
  return logger;
}
