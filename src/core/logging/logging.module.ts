import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDACT_PATHS } from './redaction';
import { getLogContext } from './request-id';

/** JSON logs (pino) with request id, tenant and user on every request line; secrets censored. */
@Module({})
export class LoggingModule {
  /** `destination`: where lines go (stdout by default; tests pass a capturing stream). */
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // The webhook ingest path is the hot path (thousands per second): a per-request child
        // logger with redaction costs about a fifth of its CPU. Each accepted event is recorded
        // as an execution instead, and errors on the route are still logged.
        exclude: [{ method: RequestMethod.POST, path: 'api/webhooks/*path' }],
        pinoHttp: {
          stream: destination,
          level: config.logLevel,
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          customProps: (req) => {
            const { tenantId, userId } = getLogContext(req);
            return { ...(tenantId ? { tenantId } : {}), ...(userId ? { userId } : {}) };
          },
          // Health and metrics probes arrive every few seconds; keep them out of the log.
          autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          serializers: {
            req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
              id: req.id,
              method: req.method,
              // Query strings can carry api keys (?appid=, ?api_key=): log the path only.
              url: req.url?.split('?')[0],
              userAgent: req.headers?.['user-agent'],
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          base: { service: 'flowgate', role: config.role },
        },
      }),
        }),
      ],
    };
  }
}
