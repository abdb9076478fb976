import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import { Queue } from 'bullmq';
import Fastify, { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { Histogram, Registry } from 'prom-client';
import { assertBodyDepth } from '../../src/core/http-server/body-depth.guard';
import { corsOptions } from '../../src/core/http-server/cors-options';
import { registerSecurityHeaders, SECURITY_HEADER_OPTIONS } from '../../src/core/http-server/security-headers';
import { registerAccessLog } from '../../src/core/logging/access-log';
import { baseLoggerOptions } from '../../src/core/logging/logger';
import { requestIdFor, setRouteTemplate } from '../../src/core/logging/request-id';

/**
 * The layers under Flowgate's HTTP stack, one per MODE, each answering GET /health/live
 * (`{"status":"ok"}`) and POST /api/webhooks/:id (one BullMQ add, 202 with the job id) and GET
 * /ready for the bench harness:
 * - `node`: bare node:http;
 * - `fastify`: bare Fastify, its default JSON parser, no plugin, no hook;
 * - `stack`: Fastify with what Flowgate's createApp registers around its routes, from the same
 *   modules: its options (genReqId, body limit, trust proxy off), the X-Request-Id/route hook,
 *   the security headers, @fastify/cors with Flowgate's options, the access log and request log
 *   context on a pino logger with Flowgate's options at LOG_LEVEL (warn, like the bench's
 *   Flowgate, to /dev/null), a JSON parser keeping the raw body, the depth guard and the
 *   prom-client duration histogram. No Nest.
 * - `stack-fastify-helmet`: `stack` with @fastify/helmet (as Flowgate registered it before)
 *   instead of the precomputed headers.
 */
const MODE = process.env.MODE ?? 'stack';
const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const queue = new Queue('executions', {
  connection: { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null },
  prefix: process.env.QUEUE_PREFIX ?? 'bare-fastify',
});
const LIVE = JSON.stringify({ status: 'ok' });

function enqueue(payload: unknown): Promise<string> {
  const jobId = randomUUID();
  return queue.add('run', { payload, receivedAt: new Date().toISOString() }, { jobId }).then(() => jobId);
}

function nodeServer() {
  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  return createServer((req: IncomingMessage, res) => {
    if (req.method === 'GET' && (req.url === '/health/live' || req.url === '/ready')) return send(res, 200, LIVE);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, '{}');
      }
      enqueue(payload).then(
        (id) => send(res, 202, JSON.stringify({ executionId: id })),
        () => send(res, 503, '{}'),
      );
    });
  });
}

async function fastifyServer(stack: boolean, fastifyHelmetPlugin: boolean): Promise<FastifyInstance> {
  const app = stack
    ? Fastify({ bodyLimit: 1_048_576, routerOptions: { maxParamLength: 200 }, requestIdHeader: false, genReqId: requestIdFor })
    : Fastify();
  if (stack) {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('X-Request-Id', request.id);
      setRouteTemplate(request.raw, request.routeOptions?.url);
      done();
    });
    if (fastifyHelmetPlugin) await app.register(fastifyHelmet, SECURITY_HEADER_OPTIONS);
    else registerSecurityHeaders(app);
    registerAccessLog(
      app,
      pino(baseLoggerOptions({ level: process.env.LOG_LEVEL ?? 'warn', role: 'api', format: 'json' }), pino.destination('/dev/null')),
    );
    await app.register(fastifyCors, corsOptions([]));
    // Nest's JSON parser with rawBody: the body as a Buffer, kept on the request, then parsed.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1_048_576 }, (req, body, done) => {
      (req as unknown as { rawBody: Buffer }).rawBody = body as Buffer;
      try {
        done(null, (body as Buffer).length ? JSON.parse((body as Buffer).toString('utf8')) : undefined);
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    app.addHook('preValidation', (request, _reply, done) => {
      try {
        assertBodyDepth(request.body);
        done();
      } catch (e) {
        done(e as Error);
      }
    });
    const registry = new Registry();
    const histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    app.addHook('onResponse', (request, reply, done) => {
      histogram.observe(
        { method: request.method, route: request.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
  app.get('/ready', async () => ({ status: 'ok' }));
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.route({
    method: 'POST',
    url: '/api/webhooks/:workflowId',
    config: { securityHeaders: false, accessLog: false },
    schema: { response: { 202: { type: 'object', properties: { executionId: { type: 'string' } }, required: ['executionId'] } } },
    handler: async (req, reply) => {
      const executionId = await enqueue(req.body ?? null);
      reply.code(202);
      return { executionId };
    },
  });
  return app;
}

async function main() {
  const port = Number(process.env.PORT);
  let close: () => Promise<unknown>;
  if (MODE === 'node') {
    const server = nodeServer();
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    close = () => new Promise((r) => server.close(r));
  } else {
    if (!['fastify', 'stack', 'stack-fastify-helmet'].includes(MODE)) throw new Error(`unknown MODE ${MODE}`);
    const app = await fastifyServer(MODE !== 'fastify', MODE === 'stack-fastify-helmet');
    await app.listen({ port, host: '127.0.0.1' });
    close = () => app.close();
  }
  process.on('SIGTERM', () => {
    void close()
      .then(() => queue.close())
      .finally(() => process.exit(0));
  });
}

void main();
