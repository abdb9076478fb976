import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: no browser security headers (a route answering servers, e.g. the webhook route). */
    securityHeaders?: boolean;
  }
}

/** The headers Flowgate's API and Swagger UI answer with (helmet's defaults plus this CSP). */
export const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      // TLS ends at Kong or the platform's edge; upgrading would break plain-HTTP /docs.
      upgradeInsecureRequests: null,
    },
  },
};

export interface SecurityHeaders {
  set: Array<[string, string]>;
  remove: string[];
}

/**
 * What helmet does to a response, computed once: helmet's middleware run against a recording
 * response. Every header helmet sets with these options is static (no nonce, nothing from the
 * request), so the result is the same for every response.
 */
export function securityHeaders(options: HelmetOptions = SECURITY_HEADER_OPTIONS): SecurityHeaders {
  const out: SecurityHeaders = { set: [], remove: [] };
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      out.set.push([name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      out.remove.push(name);
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be precomputed');
  return out;
}

/**
 * Helmet's headers on every response (404s and errors included) but those of routes with
 * `config: { securityHeaders: false }`.
 *
 * Why not @fastify/helmet: it builds a new helmet middleware for every request (parsing the CSP
 * directives each time) behind two onRequest hooks, one of them async: about a tenth of
 * GET /health/live's CPU for headers that never change (docs/http-stack-profile.md). Here they are
 * computed once and set on the raw response as helmet set them.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, headers: SecurityHeaders = securityHeaders()): void {
  const { set, remove } = headers;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.securityHeaders === false) return done();
    const res = reply.raw;
    for (let i = 0; i < set.length; i++) res.setHeader(set[i][0], set[i][1]);
    for (let i = 0; i < remove.length; i++) res.removeHeader(remove[i]);
    done();
  });
}
