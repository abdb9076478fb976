import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream, Logger } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { logSettingsFromConfig } from './bootstrap-logger';
import { createLogger } from './logger';

/** The app's root pino logger, for code that logs on a hot path without Nest's logger wrapper. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export { isProbeRequest } from './access-log';

/**
 * JSON logs (pino) with request id, tenant and user on every request line; secrets censored.
 * One root logger per app (same base fields, redaction and stream as main.ts's bootstrap
 * logger) serves Nest's logger (nestjs-pino), ROOT_LOGGER and the access log, which is two
 * Fastify hooks (access-log.ts, registered by createApp), not pino-http as Nest middleware.
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
          // Nest's logger writes through the root logger (or the request's, access-log.ts);
          // no route gets nestjs-pino's pino-http middleware.
          useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
        }),
      ],
    };
  }
}
