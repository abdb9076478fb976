import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { setRouteTemplate } from '../logging/request-id';

/**
 * Paths the console never answers: the API, probes, metrics and Swagger UI keep their own 404
 * (the one JSON error shape), so a typo in an API path is never answered with an HTML page.
 */
const SERVER_PREFIXES = ['/api', '/health', '/metrics', '/docs'];

/**
 * The console's own policy, stricter than the API's: no inline script or style at all, no
 * plugin, no base rewrite, never framed. `connect-src` is the API (same origin); the only frame
 * is Nango's Connect UI, for connecting a marketplace company.
 */
export function consoleContentSecurityPolicy(nangoConnectOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    `frame-src ${nangoConnectOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;
/** The HTML names the current assets: revalidated on every load, so a deploy is seen at once. */
const HTML_CACHE = 'no-cache';

/** Swagger UI's document also answers at /docs-json and /docs-yaml (and must stay a 404 when it is off). */
function isServerPath(url: string): boolean {
  const path = url.split('?', 1)[0];
  return path.startsWith('/docs') || SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Serves the console's build (web/dist) at `/`: hashed files under /assets with long-lived cache
 * headers, and index.html (strict CSP, no-cache) for every other GET that is not a server path,
 * so the console's own routes (/workflows/…, /runs/…) load on a reload or a shared link.
 * Without a build (CONSOLE_DIR missing), nothing is registered and `/` is a 404 as before.
 */
export async function registerConsole(fastify: FastifyInstance, config: AppConfig): Promise<boolean> {
  const { enabled, dir, nangoConnectOrigin } = config.console;
  const indexFile = join(dir, 'index.html');
  if (!enabled || !existsSync(indexFile)) return false;
  const html = readFileSync(indexFile);
  const csp = consoleContentSecurityPolicy(nangoConnectOrigin);

  await fastify.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    etag: true,
    lastModified: false,
    // Vite names every built asset by its content hash: a year, immutable.
    cacheControl: true,
    maxAge: ASSET_MAX_AGE_MS,
    immutable: true,
  });

  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    // A file-like path (favicon.ico, a stale asset) or an API path: the server's own 404.
    const path = request.url.split('?', 1)[0];
    if (isServerPath(request.url) || /\.[a-z0-9]+$/i.test(path)) {
      // Unmatched, as it would be without the console: no route template in the log or metrics.
      setRouteTemplate(request.raw, undefined);
      return reply.callNotFound();
    }
    return reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', HTML_CACHE)
      .header('Content-Security-Policy', csp)
      .header('Referrer-Policy', 'no-referrer')
      .send(html);
  };
  fastify.get('/', sendIndex);
  fastify.get('/*', sendIndex);
  return true;
}
