import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { storage, Store } from 'nestjs-pino/storage';
import type { Level, Logger } from 'pino';
import { wasExpectedFailure } from '../errors/expected-failure';
import { getLogContext, getRouteTemplate } from './request-id';
import { pathOnly } from './safe-text';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false: no access line and no per-request log context for this route (the webhook ingest
     * route: each accepted event is recorded as an execution, and its errors are still logged).
     */
    accessLog?: boolean;
  }
}

/**
 * Health and metrics probes arrive every few seconds from orchestrators and scrapers; they stay
 * out of the log.
 */
export function isProbeRequest(req: Pick<IncomingMessage, 'url'>): boolean {
  const path = pathOnly(req.url) ?? '';
  return /^\/(health|metrics)(\/|$)/.test(path);
}

/**
 * The request line's level: 5xx the error filter called expected (a dependency outage) is warn,
 * any other 5xx error; everything else, 4xx included, info.
 */
function requestLevel(req: IncomingMessage, statusCode: number): Level {
  if (statusCode < 500) return 'info';
  return wasExpectedFailure(req) ? 'warn' : 'error';
}

/**
 * What a line names of its request: no headers, no query string (it can carry api keys, OAuth
 * codes, `state`): the path and the route template it matched, and the user agent.
 */
export function requestFields(request: FastifyRequest): Record<string, unknown> {
  const raw = request.raw;
  const route = getRouteTemplate(raw);
  return {
    id: request.id,
    method: request.method,
    url: pathOnly(raw.url),
    ...(route ? { route } : {}),
    userAgent: raw.headers['user-agent'],
  };
}

/**
 * The log context of one request, for Nest's logger (nestjs-pino reads `storage.getStore().logger`):
 * lines logged while the request runs (the error filter's) carry `req` like the access line.
 * The child logger is built only when something logs, which most requests never do.
 */
class RequestLogStore extends Store {
  private child: Logger | undefined;

  constructor(
    private readonly root: Logger,
    readonly request: FastifyRequest,
  ) {
    super(undefined as unknown as Logger);
  }

  // @ts-expect-error -- Store declares `logger` as a field; here it is built on first use (nestjs-pino's assign() sets it)
  get logger(): Logger {
    return (this.child ??= this.root.child({ req: requestFields(this.request) }));
  }
  set logger(value: Logger) {
    this.child = value;
  }
}

/**
 * The request being served in this async context, or undefined (a job, a route with
 * `accessLog: false`). Read from the log context the onRequest hook already opened, so knowing
 * the current request (who acts, its id, the client address: what the audit log records) costs
 * no second AsyncLocalStorage per request.
 */
export function currentRequest(): FastifyRequest | undefined {
  const store = storage.getStore();
  return store instanceof RequestLogStore ? store.request : undefined;
}

/**
 * The access log as two Fastify hooks instead of pino-http mounted as Nest middleware: one line
 * per non-probe request when its response is sent (`request completed`, or `request errored`
 * for a 5xx), with the request's id, method, path, route template, user agent, status,
 * duration (ms) and the tenant and user the auth guard identified. Nest's logger, called during
 * the request, writes under the request's `req` fields (RequestLogStore).
 *
 * Why not pino-http: through Nest's middleware layer it built a redacted child logger for every
 * request (probes included), added three listeners to every response and ran Nest's middleware
 * route matching, about a tenth of GET /health/live's CPU (docs/http-stack-profile.md).
 */
export function registerAccessLog(fastify: FastifyInstance, root: Logger): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.config?.accessLog === false) return done();
    storage.run(new RequestLogStore(root, request), done);
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (request.routeOptions.config?.accessLog === false || isProbeRequest(request.raw)) return done();
    const statusCode = reply.statusCode;
    const level = requestLevel(request.raw, statusCode);
    if (!root.isLevelEnabled(level)) return done();
    const { tenantId, userId } = getLogContext(request.raw);
    root[level](
      {
        req: requestFields(request),
        ...(tenantId ? { tenantId } : {}),
        ...(userId ? { userId } : {}),
        res: { statusCode },
        responseTime: Math.round(reply.elapsedTime),
      },
      statusCode >= 500 ? 'request errored' : 'request completed',
    );
    done();
  });
}
