import type { LoggerService } from '@nestjs/common';
import type { DestinationStream, Level, Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createLogger, defaultLogFormat, LOG_FORMATS, LogSettings } from './logger';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ROLES = ['all', 'api', 'worker'] as const;

function pick<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = value?.trim() ?? '';
  return (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/**
 * Log settings for the lines written before the configuration is parsed, or when it cannot be
 * (the line that says why): read straight from the environment, a default for anything unusable.
 */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LogSettings {
  return {
    level: pick(env.LOG_LEVEL, LEVELS, 'info'),
    role: pick(env.ROLE, ROLES, 'all'),
    format: pick(env.LOG_FORMAT, LOG_FORMATS, defaultLogFormat(env.NODE_ENV)),
  };
}

export function logSettingsFromConfig(config: Pick<AppConfig, 'logLevel' | 'role' | 'logFormat'>): LogSettings {
  return { level: config.logLevel, role: config.role, format: config.logFormat };
}

/**
 * The logger main.ts uses before Nest exists (configuration, migrations, listening, shutdown)
 * and for fatal errors. Same base fields, redaction and stream as the app's logger. A process
 * that refuses to start always says why: under LOG_LEVEL=silent fatal lines still get out.
 */
export function createBootstrapLogger(settings: LogSettings = logSettingsFromEnv(), destination?: DestinationStream): Logger {
  return createLogger({ ...settings, level: settings.level === 'silent' ? 'fatal' : settings.level }, destination);
}

/**
 * How start-up steps (database wait, migrations) report progress, without knowing about pino.
 * A step marks a line that needs attention (a retry) with level 'warn'.
 */
export type StartupLog = (msg: string, fields?: Record<string, unknown>, level?: 'info' | 'warn') => void;

export function startupLog(log: Logger, defaultLevel: Level = 'info'): StartupLog {
  return (msg, fields, level) => log[level ?? defaultLevel](fields ?? {}, msg);
}

/**
 * Nest's LoggerService over a pino logger, for Nest's own lines before nestjs-pino takes over
 * (module start-up, a provider failing to start), so they are JSON like everything else rather
 * than Nest's coloured console text. Nest's contract: the last optional parameter is the context;
 * `error(message, stack, context)` carries a stack as a string.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length && (typeof rest[rest.length - 1] === 'string' || rest[rest.length - 1] === undefined)) {
      const context = rest.pop();
      if (context) fields.context = context;
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
      return;
    }
    if (message && typeof message === 'object') {
      const msg = rest.find((p): p is string => typeof p === 'string');
      this.pino[level]({ ...fields, ...message }, msg);
      return;
    }
    const stack = rest[0];
    if (typeof stack === 'string' && /\n\s*at /.test(stack)) {
      fields.err = { type: 'Error', message: String(message), stack };
    }
    this.pino[level](fields, String(message));
  }
}

/**
 * Node's own output goes through the logger too, so nothing the process writes is outside the
 * JSON format: warnings (Node prints them as text by default) at warn, and a crash (an uncaught
 * exception, or an unhandled rejection, which Node turns into one) as a fatal line before the
 * exit Node would have made anyway. `current` returns the logger in use at that moment.
 */
export function logProcessEvents(current: () => Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) => current().warn({ warning: { name: w.name, code: w.code } }, w.message));
  process.on('uncaughtException', (err, origin) => {
    current().fatal({ err, origin }, 'Flowgate crashed');
    process.exit(1);
  });
}
