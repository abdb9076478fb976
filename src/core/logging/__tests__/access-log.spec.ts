import Fastify, { FastifyInstance } from 'fastify';
import { storage } from 'nestjs-pino/storage';
import { Writable } from 'node:stream';
import { markExpectedFailure } from '../../errors/expected-failure';
import { registerAccessLog } from '../access-log';
import { createLogger } from '../logger';
import { requestIdFor, setLogContext, setRouteTemplate } from '../request-id';

function app(): { app: FastifyInstance; lines: () => Array<Record<string, any>> } {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const root = createLogger({ level: 'info', role: 'api', format: 'json' }, dest);
  const fastify = Fastify({ requestIdHeader: false, genReqId: requestIdFor });
  fastify.addHook('onRequest', (request, _reply, done) => {
    setRouteTemplate(request.raw, request.routeOptions?.url);
    done();
  });
  registerAccessLog(fastify, root);
  fastify.get('/items/:id', async (req) => {
    setLogContext(req.raw, { tenantId: 't-1', userId: 'u-1' });
    return { ok: true };
  });
  fastify.get('/health/live', async () => ({ status: 'ok' }));
  fastify.get('/metrics', async () => 'm');
  fastify.post('/quiet', { config: { accessLog: false } }, async () => ({ ok: true }));
  fastify.get('/fails', async () => {
    // what Nest's logger does during a request: the request's logger from the store
    storage.getStore()!.logger.error({ code: 'X' }, 'the filter line');
    throw new Error('a bug');
  });
  fastify.get('/outage', async (req, reply) => {
    markExpectedFailure(req.raw);
    return reply.code(503).send({ statusCode: 503 });
  });
  return { app: fastify, lines: () => lines.map((l) => JSON.parse(l)) };
}

describe('access log (Fastify hooks)', () => {
  it('one line per request with id, method, path without query, route template, user agent, status, duration, tenant and user', async () => {
    const t = app();
    try {
      await t.app.inject({
        method: 'GET',
        url: '/items/42?api_key=secret-in-query',
        headers: { 'x-request-id': 'req-1', 'user-agent': 'ua/1' },
      });
      const [line, ...rest] = t.lines();
      expect(rest).toEqual([]);
      expect(line).toMatchObject({
        level: 30,
        msg: 'request completed',
        service: 'flowgate',
        req: { id: 'req-1', method: 'GET', url: '/items/42', route: '/items/:id', userAgent: 'ua/1' },
        tenantId: 't-1',
        userId: 'u-1',
        res: { statusCode: 200 },
      });
      expect(typeof line.responseTime).toBe('number');
      expect(JSON.stringify(line)).not.toContain('secret-in-query');
    } finally {
      await t.app.close();
    }
  });

  it('probes and routes with accessLog: false write nothing; an unmatched path has no route template', async () => {
    const t = app();
    try {
      await t.app.inject({ method: 'GET', url: '/health/live' });
      await t.app.inject({ method: 'GET', url: '/metrics?x=1' });
      await t.app.inject({ method: 'POST', url: '/quiet', payload: {} });
      expect(t.lines()).toEqual([]);
      await t.app.inject({ method: 'GET', url: '/nope' });
      const [line] = t.lines();
      expect(line).toMatchObject({ level: 30, req: { url: '/nope' }, res: { statusCode: 404 } });
      expect(line.req.route).toBeUndefined();
    } finally {
      await t.app.close();
    }
  });

  it("a 5xx is 'request errored' at error (warn when marked expected); lines logged during the request carry its req", async () => {
    const t = app();
    try {
      await t.app.inject({ method: 'GET', url: '/fails', headers: { 'x-request-id': 'req-bug' } });
      await t.app.inject({ method: 'GET', url: '/outage', headers: { 'x-request-id': 'req-out' } });
      const lines = t.lines();
      expect(lines.filter((l) => l.req?.id === 'req-bug').map((l) => [l.level, l.msg])).toEqual([
        [50, 'the filter line'],
        [50, 'request errored'],
      ]);
      expect(lines.find((l) => l.msg === 'the filter line')).toMatchObject({ code: 'X', req: { id: 'req-bug', route: '/fails' } });
      expect(lines.find((l) => l.req?.id === 'req-out')).toMatchObject({ level: 40, msg: 'request errored', res: { statusCode: 503 } });
    } finally {
      await t.app.close();
    }
  });
});
