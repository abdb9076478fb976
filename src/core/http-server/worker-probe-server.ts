import { createServer, Server } from 'node:http';
import type { Logger } from 'pino';
import { DependencyChecksService } from '../health/dependency-checks.service';
import { MetricsService } from '../metrics/metrics.service';

/**
 * The worker has no public HTTP API; this tiny server gives its orchestrator liveness,
 * readiness and a metrics scrape on WORKER_PORT.
 */
export function startWorkerProbeServer(port: number, host: string, checks: DependencyChecksService, metrics: MetricsService, log?: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, { statusCode: 405, error: 'Method Not Allowed', message: 'GET only' });
    if (path === '/health/live' || path === '/health') return send(200, { status: 'ok', role: 'worker' });
    if (path === '/health/ready') {
      void checks.required().then((deps) => {
        const down = Object.entries(deps).filter(([, d]) => d.status === 'down');
        if (!down.length) return send(200, { status: 'ok', dependencies: deps });
        const message = `Not ready: ${down.map(([n, d]) => `${n} is down (${d.error})`).join('; ')}`;
        // Like the API's readiness: an expected outage, a warn line without a stack (probes that pass are not logged).
        log?.warn({ statusCode: 503, code: 'NOT_READY' }, `503 NOT_READY on GET /health/ready: ${message}`);
        send(503, { statusCode: 503, error: 'Service Unavailable', code: 'NOT_READY', message, details: deps });
      });
      return;
    }
    if (path === '/metrics') {
      void metrics.registry.metrics().then((text) => send(200, text, metrics.registry.contentType));
      return;
    }
    send(404, { statusCode: 404, error: 'Not Found', code: 'ROUTE_NOT_FOUND', message: `Route GET ${path} not found` });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject); // port taken: a start failure, not a crash
    server.listen(port, host, () => resolve(server));
  });
}
