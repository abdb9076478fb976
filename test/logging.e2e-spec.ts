import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { freePort } from './support/free-port';
import { HttpClient } from './support/http-client';
import { LEVEL, LogLine, parseLogLines, splitLines } from './support/log-lines';
import { startRedisServer } from './support/redis-server';
import { spawnFlowgate } from './support/spawn-flowgate';
import { registerTenant, startTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

const main = join(__dirname, '..', 'dist', 'src', 'main.js');
const PROBE = /^\/(health|metrics)(\/|$|\?)/;
const ANSI = /\x1b\[/;
/** pino-http's line for a finished request (other lines of a request carry `req` but no `res`). */
const isProbeRequestLine = (l: LogLine) => l.res !== undefined && PROBE.test(l.req?.url ?? '');

const ADMIN_TOKEN = 'logs-admin-token-0123456789';
/** /metrics and /health/detailed need the admin token; the other probes are public. */
const probeHeaders = (path: string): Record<string, string> =>
  /^\/(metrics|health\/detailed)/.test(path) ? { 'x-admin-token': ADMIN_TOKEN } : {};

const baseEnv = () => ({
  ADMIN_TOKEN,
  DATABASE_URL: process.env.DATABASE_URL!,
  REDIS_URL: process.env.REDIS_URL!,
  QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-logs-${randomBytes(3).toString('hex')}`,
});

describe('the process writes one JSON line format from first line to last', () => {
  it('start, requests and a SIGTERM stop: every line is JSON; probes are not logged; both ends of the stop are', async () => {
    const p = await spawnFlowgate({ ...baseEnv(), LOG_LEVEL: 'info' });
    for (const path of ['/health', '/health/live', '/health/ready', '/health/detailed', '/metrics', '/health/ready?verbose=1']) {
      expect((await fetch(`${p.url}${path}`, { headers: probeHeaders(path) })).status).toBe(200);
    }
    expect((await fetch(`${p.url}/api/auth/me`)).status).toBe(401);
    const code = await p.stop();
    expect(code === 0 || p.proc.signalCode === 'SIGTERM').toBe(true);

    const lines = parseLogLines(p.output);
    expect(p.output.join('\n')).not.toMatch(ANSI);
    expect(lines.find((l) => /listening on :\d+/.test(l.msg))).toMatchObject({ level: LEVEL.info, role: 'all', port: p.port });
    // a request that is not a probe is logged, so the probes' absence means something
    expect(lines.find((l) => l.req?.url === '/api/auth/me')).toMatchObject({ level: LEVEL.info, res: { statusCode: 401 } });
    expect(lines.filter(isProbeRequestLine)).toEqual([]);

    const started = lines.findIndex((l) => l.msg === 'SIGTERM received: shutting down');
    const done = lines.findIndex((l) => l.msg === 'shutdown complete');
    expect(started).toBeGreaterThan(-1);
    expect(lines[started]).toMatchObject({ level: LEVEL.info, signal: 'SIGTERM' });
    expect(done).toBe(lines.length - 1);
    expect(lines[done]).toMatchObject({ level: LEVEL.info, signal: 'SIGTERM', durationMs: expect.any(Number) });
    expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);
  });

  it('the same for a worker process (ROLE=worker, probes on its own port)', async () => {
    const p = await spawnFlowgate({ ...baseEnv(), ROLE: 'worker', LOG_LEVEL: 'info' });
    for (const path of ['/health/live', '/health/ready', '/metrics'])
      expect((await fetch(`${p.url}${path}`, { headers: probeHeaders(path) })).status).toBe(200);
    await p.stop();

    const lines = parseLogLines(p.output);
    expect(lines.every((l) => l.role === 'worker')).toBe(true);
    expect(lines.find((l) => /^Flowgate worker running/.test(l.msg))).toMatchObject({ level: LEVEL.info, port: p.port });
    expect(lines.slice(-2).map((l) => l.msg)).toEqual(['SIGTERM received: shutting down', 'shutdown complete']);
    expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);
  });

  it('a bad setting: one fatal JSON line naming it, exit code 1, even under LOG_LEVEL=silent', () => {
    const r = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'silent', PORT: 'abc', ROLE: 'worker', JWT_SECRET: 'x'.repeat(40) },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const lines = parseLogLines(splitLines(r.stdout));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: LEVEL.fatal,
      role: 'worker',
      problems: expect.arrayContaining([expect.stringMatching(/^PORT: /)]),
    });
    expect(lines[0].msg).toMatch(/^Flowgate cannot start: invalid configuration: .*PORT: /);
    expect(lines[0].err).toBeUndefined(); // a configuration problem has no stack trace
  });

  it('a start failure (the port is taken) is a fatal JSON line, never Nest console text', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const r = spawnSync(process.execPath, [main], {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          RUN_MIGRATIONS: 'false',
          ...baseEnv(),
          HOST: '127.0.0.1',
          PORT: String(port),
          WORKER_PORT: String(await freePort()),
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      const output = r.stdout + r.stderr;
      expect(output).not.toMatch(ANSI);
      const lines = parseLogLines(splitLines(output));
      const fatal = lines.find((l) => l.level === LEVEL.fatal);
      expect(fatal).toMatchObject({
        msg: expect.stringMatching(/^Flowgate failed to start: .*EADDRINUSE/),
        err: { code: 'EADDRINUSE', stack: expect.any(String) },
      });
      expect(lines[lines.length - 1]).toBe(fatal);
    } finally {
      blocker.close();
    }
  });
});

describe('request log levels', () => {
  it('probes are left out; 4xx at info; expected 503s at warn without a stack; a bug at error with its stack', async () => {
    const redis = await startRedisServer();
    const t = await startTestApp(
      { LOG_LEVEL: 'info', REDIS_URL: redis.url, KONG_ADMIN_URL: '' },
      {
        beforeListen: (app) =>
          app
            .getHttpAdapter()
            .getInstance()
            .get('/test-only/bug', async () => {
              throw new Error('a genuine bug');
            }),
      },
    );
    try {
      const owner = await registerTenant(t.http);
      for (const path of ['/health', '/health/live', '/health/ready', '/health/detailed', '/metrics', '/metrics?x=1']) {
        const admin: Record<string, string> = /^\/(metrics|health\/detailed)/.test(path)
          ? { 'x-admin-token': 'test-admin-token-0123456789' }
          : {};
        expect((await t.http.get(path, { headers: admin })).status).toBe(200);
      }
      expect((await t.http.get('/api/auth/me')).status).toBe(401);
      const kong = await t.http.get('/api/kong/status', { token: owner.token });
      expect(kong.body).toMatchObject({ statusCode: 503, code: 'KONG_NOT_CONFIGURED' });
      // A route this test adds, so outside the document: asked without the contract check.
      const bug = await new HttpClient(t.url).get('/test-only/bug?code=oauth-code-in-query&api_key=key-in-query');
      expect(bug.status).toBe(500);
      const unknown = await t.http.get('/api/no-such-route?token=token-in-query');
      expect(unknown.status).toBe(404);

      await redis.stop();
      await waitFor(async () => (await t.http.get('/health/ready')).status === 503, 'readiness to report Redis down');
      await waitFor(() => parseLogLines(t.logs).some((l) => l.code === 'NOT_READY'), 'the readiness 503 to be logged');

      const lines = parseLogLines(t.logs);
      const byRequest = (id: string | null) => lines.filter((l) => l.req?.id === id);
      expect(lines.filter(isProbeRequestLine)).toEqual([]);
      expect(lines.find((l) => l.req?.url === '/api/auth/me')).toMatchObject({ level: LEVEL.info, res: { statusCode: 401 } });

      const notReady = lines.filter((l) => l.code === 'NOT_READY');
      expect(notReady.length).toBeGreaterThan(0);
      for (const l of notReady) {
        expect(l).toMatchObject({
          level: LEVEL.warn,
          statusCode: 503,
          msg: expect.stringMatching(/^503 NOT_READY on GET \/health\/ready: Not ready: redis is down/),
        });
        expect(l.err).toBeUndefined();
      }

      const kongLines = byRequest(kong.headers.get('x-request-id'));
      expect(kongLines.map((l) => l.level)).toEqual([LEVEL.warn, LEVEL.warn]); // the filter's line, then the request line
      expect(kongLines[0]).toMatchObject({
        code: 'KONG_NOT_CONFIGURED',
        route: '/api/kong/status',
        msg: expect.stringContaining('Kong is not configured'),
      });
      expect(kongLines[1]).toMatchObject({ req: { url: '/api/kong/status', route: '/api/kong/status' }, res: { statusCode: 503 } });
      expect(JSON.stringify(kongLines)).not.toContain('stack');

      const bugLines = byRequest(bug.headers.get('x-request-id'));
      expect(bugLines.map((l) => l.level)).toEqual([LEVEL.error, LEVEL.error]);
      expect(bugLines[0]).toMatchObject({
        reqId: bug.headers.get('x-request-id'),
        method: 'GET',
        route: '/test-only/bug',
        statusCode: 500,
        code: 'INTERNAL',
        msg: 'Unhandled error on GET /test-only/bug',
        err: { type: 'Error', message: 'a genuine bug', stack: expect.stringContaining('a genuine bug') },
      });
      // no query string anywhere; an unmatched route has a path but no template
      expect(t.logs.join('\n')).not.toMatch(/in-query|\?code=|\?token=/);
      expect(byRequest(unknown.headers.get('x-request-id')).find((l) => l.res)).toMatchObject({
        req: { url: '/api/no-such-route' },
        res: { statusCode: 404 },
      });
      expect(byRequest(unknown.headers.get('x-request-id')).find((l) => l.res)?.req.route).toBeUndefined();
      await redis.start();
    } finally {
      await t.close();
      await redis.stop();
    }
  });
});

describe('workflow runs are logged', () => {
  let sink: FakeServer;
  beforeAll(async () => {
    sink = await startEchoFake();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('start and end of each run at info and each failed step at warn, with ids and no payload, output or secret', async () => {
    const t = await startTestApp({ LOG_LEVEL: 'info', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1' });
    try {
      const owner = await registerTenant(t.http, 'Logged runs');
      const secret = `logsecret-${randomBytes(12).toString('hex')}`;
      const marker = `payloadmarker-${randomBytes(12).toString('hex')}`;
      const cred = await t.http.post(
        '/api/credentials',
        { name: 'sink', connectorKey: 'http', authKind: 'bearer', secrets: { token: secret }, allowedHosts: ['127.0.0.1'] },
        { token: owner.token },
      );
      expect(cred.status).toBe(201);
      // The echo step's output holds the marker and the Authorization header; the last step fails.
      const failing = await createWorkflow(t.http, owner.token, {
        name: 'fails at the end',
        trigger: { type: 'webhook' },
        steps: [
          { name: 'shape', type: 'transform', params: { note: '{{trigger.marker}}' } },
          {
            name: 'echo',
            connector: 'http',
            action: 'request',
            credentialId: cred.body.id,
            params: { method: 'POST', url: `${sink.url}/echo`, body: { note: '{{steps.shape.note}}' } },
          },
          {
            name: 'call',
            connector: 'http',
            action: 'request',
            credentialId: cred.body.id,
            params: { method: 'POST', url: `${sink.url}/status/404`, body: { note: '{{steps.shape.note}}' } },
          },
        ],
        settings: { retries: 0 },
      });
      const passing = await createWorkflow(t.http, owner.token, {
        name: 'passes',
        trigger: { type: 'webhook' },
        steps: [{ name: 'shape', type: 'transform', params: { note: '{{trigger.marker}}' } }],
        settings: { retries: 0 },
      });

      const manual = await t.http.post(`/api/workflows/${failing.id}/run`, { payload: { marker } }, { token: owner.token });
      expect(manual.status).toBe(202);
      const hook = await t.http.post(`/api/webhooks/${passing.id}`, { marker });
      expect(hook.status).toBe(202);
      expect((await waitForExecution(t.http, owner.token, manual.body.executionId)).status).toBe('failed');
      expect((await waitForExecution(t.http, owner.token, hook.body.executionId)).status).toBe('succeeded');
      await waitFor(() => parseLogLines(t.logs).filter((l) => l.msg === 'workflow run finished').length >= 2, 'both runs to be logged');

      const lines = parseLogLines(t.logs);
      const of = (executionId: string) => lines.filter((l) => l.executionId === executionId);
      const manualIds = {
        executionId: manual.body.executionId,
        tenantId: owner.tenantId,
        workflowId: failing.id,
        trigger: 'manual',
        userId: owner.userId,
        attempt: 1,
      };
      expect(of(manual.body.executionId).map((l) => [l.level, l.msg])).toEqual([
        [LEVEL.info, 'workflow run started'],
        [LEVEL.warn, 'workflow step failed'],
        [LEVEL.info, 'workflow run finished'],
      ]);
      const [mStart, mStep, mEnd] = of(manual.body.executionId);
      expect(mStart).toMatchObject({ ...manualIds, workflowVersion: 1 });
      expect(mStep).toMatchObject({
        ...manualIds,
        step: 'call',
        stepType: 'connector',
        connector: 'http',
        action: 'request',
        errorCode: 'HTTP_ERROR',
        errorStatus: 404,
        retryable: false,
        error: expect.stringContaining('404'),
      });
      expect(mEnd).toMatchObject({
        ...manualIds,
        status: 'failed',
        durationMs: expect.any(Number),
        errorCode: 'HTTP_ERROR',
        failedStep: 'call',
      });

      const hookLines = of(hook.body.executionId);
      expect(hookLines.map((l) => l.msg)).toEqual(['workflow run started', 'workflow run finished']);
      expect(hookLines[1]).toMatchObject({
        level: LEVEL.info,
        tenantId: owner.tenantId,
        workflowId: passing.id,
        trigger: 'webhook',
        status: 'succeeded',
        durationMs: expect.any(Number),
      });
      expect(hookLines[1].userId).toBeUndefined();

      const text = t.logs.join('\n');
      expect(text).not.toContain(marker);
      expect(text).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
