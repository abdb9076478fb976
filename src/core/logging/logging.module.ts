import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream, Level, Logger } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { wasExpectedFailure } from '../errors/expected-failure';
import { logSettingsFromConfig } from './bootstrap-logger';
import { createLogger } from './logger';
import { serializeError } from './error-serializer';
import { getLogContext, getRouteTemplate } from './request-id';
import { pathOnly } from './safe-text';

/** The app's root pino logger, for code that logs on a hot path without Nest's logger wrapper. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Health and metrics probes arrive every few seconds from orchestrators and scrapers; they stay
 * out of the log. Nest mounts pino-http as Fastify middleware (middie), which strips the mount
 * path from `req.url` (it is `/` there): `originalUrl` keeps the path the client asked for.
 */
export function isProbeRequest(req: IncomingMessage & { originalUrl?: string }): boolean {
  const path = pathOnly(req.originalUrl ?? req.url) ?? '';
  return /^\/(health|metrics)(\/|$)/.test(path);
}

/**
 * The request line's level: 5xx the error filter called expected (a dependency outage) is warn,
 * any other 5xx error; everything else, 4xx included, info.
 */
function requestLevel(req: IncomingMessage, res: ServerResponse, err?: Error): Level {
  if (!err && res.statusCode < 500) return 'info';
  return wasExpectedFailure(req) ? 'warn' : 'error';
}

/**
 * pino-http invents an Error ("failed with status code 503") for a 5xx that has none: its stack
 * says nothing, and the error filter has already logged the real error (or an expected outage).
 */
function dropInventedError(_req: IncomingMessage, res: ServerResponse, error: Error, val: Record<string, unknown>) {
  const invented = (res as { err?: unknown }).err !== error && error.message === `failed with status code ${res.statusCode}`;
  return invented ? { ...val, err: undefined } : val;
}

/**
 * JSON logs (pino) with request id, tenant and user on every request line; secrets censored.
 * One root logger per app (same base fields, redaction and stream as main.ts's bootstrap
 * logger) serves pino-http, Nest's logger and ROOT_LOGGER.
 */
@Module({})
export class LoggingModule {
  /** `destination`: where lines go (stdout by default; tests pass a capturing stream). */
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      providers: [
        {
          provide: ROOT_LOGGER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => createLogger(logSettingsFromConfig(config), destination),
        },
      ],
      exports: [ROOT_LOGGER],
      imports: [
        LoggerModule.forRootAsync({
          inject: [ROOT_LOGGER],
          useFactory: (logger: Logger) => ({
            // The webhook ingest path is the hot path (thousands per second): a per-request child
            // logger with redaction costs about a fifth of its CPU. Each accepted event is recorded
            // as an execution instead, and errors on the route are still logged.
            exclude: [{ method: RequestMethod.POST, path: 'api/webhooks/*path' }],
            pinoHttp: {
              logger,
              customProps: (req) => {
                const { tenantId, userId } = getLogContext(req);
                return { ...(tenantId ? { tenantId } : {}), ...(userId ? { userId } : {}) };
              },
              autoLogging: { ignore: isProbeRequest },
              customLogLevel: requestLevel,
              customErrorObject: dropInventedError,
              serializers: {
                // No headers, no query string (it can carry api keys, OAuth codes, `state`): the
                // path and the route template it matched.
                req: (req: { id: string; method: string; url: string; headers: Record<string, unknown>; raw?: IncomingMessage }) => {
                  const route = req.raw ? getRouteTemplate(req.raw) : undefined;
                  return {
                    id: req.id,
                    method: req.method,
                    url: pathOnly(req.url),
                    ...(route ? { route } : {}),
                    userAgent: req.headers?.['user-agent'],
                  };
                },
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
                // pino-http would put pino's standard error serializer here (every own property).
                err: serializeError,
              },
            },
          }),
        }),
      ],
    };
  }
}
