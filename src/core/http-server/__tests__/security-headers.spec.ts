import fastifyHelmet from '@fastify/helmet';
import Fastify, { FastifyInstance } from 'fastify';
import { registerSecurityHeaders, SECURITY_HEADER_OPTIONS, securityHeaders } from '../security-headers';

async function headersOf(app: FastifyInstance, url: string): Promise<Record<string, unknown>> {
  const res = await app.inject({ method: 'GET', url });
  const { date, 'content-length': _l, 'content-type': _t, connection: _c, ...rest } = res.headers;
  void date;
  return rest;
}

function withRoutes(app: FastifyInstance): FastifyInstance {
  app.get('/json', async () => ({ ok: true }));
  app.get('/server-to-server', { config: { securityHeaders: false } }, async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  return app;
}

describe('security headers computed once', () => {
  it('answer with the headers @fastify/helmet sets with the same options, on routes, 404s and errors', async () => {
    const reference = withRoutes(Fastify());
    await reference.register(fastifyHelmet, SECURITY_HEADER_OPTIONS);
    const ours = Fastify();
    registerSecurityHeaders(ours);
    withRoutes(ours);
    try {
      for (const url of ['/json', '/no-such-route', '/boom']) {
        const expected = await headersOf(reference, url);
        expect(expected['content-security-policy']).toContain("default-src 'self'");
        expect(await headersOf(ours, url)).toEqual(expected);
      }
    } finally {
      await reference.close();
      await ours.close();
    }
  });

  it('a route with securityHeaders: false gets none of them', async () => {
    const app = Fastify();
    registerSecurityHeaders(app);
    withRoutes(app);
    try {
      const headers = await headersOf(app, '/server-to-server');
      for (const [name] of securityHeaders().set) expect(headers[name.toLowerCase()]).toBeUndefined();
      expect((await headersOf(app, '/json'))['x-content-type-options']).toBe('nosniff');
    } finally {
      await app.close();
    }
  });
});
