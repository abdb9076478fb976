import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request as the fake saw it (kept in `requests` so tests can assert what was sent). */
export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Path parameters from the route pattern (`/users/:id` → `{ id }`). */
  params: Record<string, string>;
  /** Raw body text. */
  text: string;
  /** Parsed body: JSON object, form fields, or the text itself. */
  body: unknown;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → text/plain (unless headers say otherwise); Buffer as-is. */
  body?: unknown;
  /** Never answer (until the fake closes): for timeout tests. */
  hang?: boolean;
}

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

/**
 * Routes keyed `"METHOD /path"`: METHOD may be `*`; path segments `:name` capture a parameter
 * and a trailing `*` matches the rest. The first matching route answers.
 */
export type FakeRoutes = Record<string, FakeHandler>;

export interface FakeServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  requests: FakeRequest[];
  /** The next `times` requests get this answer whatever the route (5xx, 429, ...). */
  failNext(reply: FakeReply, times?: number): void;
  /** Forget recorded requests and pending failNext answers. */
  reset(): void;
  close(): Promise<void>;
}

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: FakeHandler;
}

function compile(key: string, handler: FakeHandler): CompiledRoute {
  const [method, path] = key.trim().split(/\s+/, 2);
  if (!path) throw new Error(`fake route "${key}": expected "METHOD /path"`);
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (seg === '*') return '.*';
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler };
}

function parseBody(text: string, contentType: string): unknown {
  if (!text) return undefined;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

function send(res: ServerResponse, reply: FakeReply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  let payload: Buffer | string | undefined;
  if (Buffer.isBuffer(reply.body)) payload = reply.body;
  else if (typeof reply.body === 'string') {
    payload = reply.body;
    if (!hasType) headers['content-type'] = 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    if (!hasType) headers['content-type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(payload);
}

/**
 * Starts a small node:http server on 127.0.0.1 (random port) that answers like a third-party
 * API. Every fake in test/fakes/ is built on this: pass routes, get `{ url, requests, close }`.
 *
 *   const fake = await startFake({ 'GET /v1/things/:id': (req) => ({ body: { id: req.params.id } }) });
 */
export async function startFake(routes: FakeRoutes): Promise<FakeServer> {
  const compiled = Object.entries(routes).map(([key, handler]) => compile(key, handler));
  const requests: FakeRequest[] = [];
  let failures: FakeReply[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const record: FakeRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      params: {},
      text,
      body: parseBody(text, String(req.headers['content-type'] ?? '')),
    };
    requests.push(record);
    const failure = failures.shift();
    if (failure) return failure.hang ? undefined : send(res, failure);
    for (const route of compiled) {
      if (route.method !== '*' && route.method !== method) continue;
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      route.names.forEach((name, i) => (record.params[name] = decodeURIComponent(m[i + 1])));
      const reply = await route.handler(record);
      if (reply.hang) return;
      return send(res, reply);
    }
    send(res, { status: 404, body: { error: `fake: no route for ${method} ${url.pathname}` } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: `fake crashed: ${err.message}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    failNext(reply, times = 1) {
      for (let i = 0; i < times; i++) failures.push(reply);
    },
    reset() {
      requests.length = 0;
      failures = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
