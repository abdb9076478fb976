import { createServer, IncomingMessage, Server } from 'node:http';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { errorBody } from '../errors/error-body';
import { DependencyChecksService } from '../health/dependency-checks.service';
import { checkReadiness } from '../health/readiness';
import { MetricsService } from '../metrics/metrics.service';
import { constantTimeEquals } from '../security/admin-token.guard';
import { serverTimeoutOptions } from './server-timeouts';

type ProbeConfig = Pick<AppConfig, 'workerPort' | 'host' | 'admin'> & { http: Pick<AppConfig['http'], 'timeouts'> };

/** The API's AdminTokenGuard answers, for a server without Nest: null when the token is right. */
function adminTokenProblem(req: IncomingMessage, expected: string | undefined): [number, string, string] | null {
  if (!expected) return [404, 'ROUTE_NOT_FOUND', 'Not found'];
  const given = req.headers['x-admin-token'];
  if (typeof given !== 'string' || !given) return [401, 'ADMIN_TOKEN_REQUIRED', 'X-Admin-Token header required'];
  if (!constantTimeEquals(given, expected)) return [401, 'ADMIN_TOKEN_INVALID', 'Invalid admin token'];
  return null;
}

/**
 * The worker has no public HTTP API; this tiny server gives its orchestrator liveness and
 * readiness (public, up/down only) and a metrics scrape (X-Admin-Token, as on the API) on
 * WORKER_PORT, with the API's server timeouts.
 */
export function startWorkerProbeServer(
  config: ProbeConfig,
  checks: DependencyChecksService,
  metrics: MetricsService,
  log?: Logger,
): Promise<Server> {
  const { timeouts } = config.http;
  const server = createServer(serverTimeoutOptions(timeouts), (req, res) => {
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, { statusCode: 405, error: 'Method Not Allowed', message: 'GET only' });
    if (path === '/health/live' || path === '/health') return send(200, { status: 'ok', role: 'worker' });
    if (path === '/health/ready') {
      void checkReadiness(checks).then((readiness) => {
        if (readiness.ready) return send(200, readiness.body);
        const { status, code, message, details } = readiness.error;
        // Like the API's readiness: an expected outage, a warn line without a stack (probes that pass are not logged).
        log?.warn({ statusCode: status, code }, `${status} ${code} on GET /health/ready: ${message}`);
        send(status, errorBody(status, message, code, details));
      });
      return;
    }
    if (path === '/metrics') {
      const problem = adminTokenProblem(req, config.admin.token);
      if (problem) {
        const [status, code, message] = problem;
        return send(status, { statusCode: status, error: status === 404 ? 'Not Found' : 'Unauthorized', code, message });
      }
      void metrics.registry.metrics().then((text) => send(200, text, metrics.registry.contentType));
      return;
    }
    send(404, { statusCode: 404, error: 'Not Found', code: 'ROUTE_NOT_FOUND', message: `Route GET ${path} not found` });
  });
  server.setTimeout(timeouts.connectionMs);
  return new Promise((resolve, reject) => {
    server.once('error', reject); // port taken: a start failure, not a crash
    server.listen(config.workerPort, config.host, () => resolve(server));
  });
}
