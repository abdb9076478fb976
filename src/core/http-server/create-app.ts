import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { createValidationPipe } from '../errors/validation';
import { MetricsService } from '../metrics/metrics.service';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument, setupSwagger } from './swagger';
import { corsOptions } from './cors-options';
import { serverTimeoutOptions } from './server-timeouts';
import { fastifyTrustProxy } from './trust-proxy';
import { assertBodyDepth } from './body-depth.guard';
import { getRouteTemplate, requestIdFor, setRouteTemplate } from '../logging/request-id';
import { logSettingsFromConfig, NestPinoLogger } from '../logging/bootstrap-logger';
import { createLogger } from '../logging/logger';
import { registerAccessLog } from '../logging/access-log';
import { ROOT_LOGGER } from '../logging/logging.module';
import type { Logger as PinoLogger } from 'pino';
import { registerSecurityHeaders } from './security-headers';
import { registerConsole } from './console';

export interface CreateAppOptions {
  /** The root module, built for this config by the caller (core knows no feature module). */
  module: DynamicModule | Type<unknown>;
  /** Where Nest's start-up lines go before nestjs-pino takes over (the same sink as the root module's logger). */
  logDestination?: DestinationStream;
}

/** Builds the HTTP application (not listening yet): used by main.ts, the tests and the openapi export. */
export async function createApp(config: AppConfig, options: CreateAppOptions): Promise<NestFastifyApplication> {
  const { timeouts } = config.http;
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimit,
    // Only the proxies TRUST_PROXY names may set the client address (X-Forwarded-For); every
    // per-client limit keys on request.ip.
    trustProxy: fastifyTrustProxy(config.http.trustProxy),
    http: serverTimeoutOptions(timeouts),
    // Fastify sets these two on the server itself (its own defaults otherwise: 72 s, none).
    keepAliveTimeout: timeouts.keepAliveMs,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.connectionMs,
    routerOptions: { maxParamLength: 200 },
    requestIdHeader: false,
    genReqId: requestIdFor,
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    setRouteTemplate(request.raw, request.routeOptions?.url);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    // Until nestjs-pino takes over, Nest's own lines (a module failing to start) go to a pino
    // logger with the same settings, never to Nest's coloured console logger.
    logger: new NestPinoLogger(createLogger(logSettingsFromConfig(config), options.logDestination)),
    bufferLogs: true,
    rawBody: true, // webhook signatures are computed over the exact bytes received
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  // Helmet's headers, computed once (security-headers.ts); the access log and the request's log
  // context (access-log.ts) as Fastify hooks.
  registerSecurityHeaders(fastify);
  registerAccessLog(fastify, app.get<PinoLogger>(ROOT_LOGGER));
  app.enableCors(corsOptions(config.http.corsOrigins));

  const filter = new AllExceptionsFilter();
  app.useGlobalFilters(filter);
  // Bodies are also checked against the document's schemas. One document serves both that
  // check and Swagger UI; it is built on first use (~0.3 s), or at once when Swagger UI is on.
  let document: OpenAPIObject | undefined;
  const openApiDocument = () => (document ??= buildOpenApiDocument(app, config));
  app.useGlobalPipes(createValidationPipe(openApiDocument));

  // Fastify's own errors (malformed JSON, body limit, media type) reach the filter through Nest.
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      assertBodyDepth(request.body);
      done();
    } catch (e) {
      done(e as Error);
    }
  });

  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    // The template the access log uses too (a console fallback that ends in a 404 has none).
    const route = getRouteTemplate(request.raw) ?? 'unmatched';
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  if (config.swaggerEnabled) setupSwagger(app, openApiDocument());
  // The web console (web/, built by `npm run build`) at `/`, after the API's routes are known.
  await registerConsole(fastify, config);
  // Signals are main.ts's (graceful-shutdown.ts): it logs the stop and then closes the app.
  return app;
}
