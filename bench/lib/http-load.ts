import { connect, Socket } from 'node:net';

export interface LoadOptions {
  host?: string;
  port: number;
  /** Concurrent keep-alive connections, one request in flight on each. */
  connections: number;
  /** Builds the raw HTTP/1.1 request for request number `i` (must carry Content-Length). */
  request: (i: number) => Buffer;
  /** Stop after this long (ms)... */
  durationMs: number;
  /** ...or after this many requests, whichever comes first. */
  maxRequests?: number;
  /** Requests finished before this (ms) are not recorded (warm-up). */
  warmupMs?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  statuses: Record<number, number>;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Response bodies of the first few 2xx answers (for checks). */
  sampleBodies: string[];
}

/**
 * A small, cheap load generator for loopback benchmarks: raw keep-alive sockets, precomputed
 * request bytes, minimal response parsing (status line and Content-Length), so that it costs
 * the machine as little as possible next to the server it measures. Bounded in time and count.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const host = o.host ?? '127.0.0.1';
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const sampleBodies: string[] = [];
  let errors = 0;
  let issued = 0;
  let recorded = 0;
  const started = performance.now();
  const warmupEnd = started + (o.warmupMs ?? 0);
  const end = started + (o.warmupMs ?? 0) + o.durationMs;
  let measureStart = warmupEnd;
  let lastDone = warmupEnd;

  const runConnection = () =>
    new Promise<void>((resolve) => {
      let socket: Socket;
      let buf = Buffer.alloc(0);
      let sentAt = 0;
      let closed = false;

      const next = () => {
        const now = performance.now();
        if (now >= end || (o.maxRequests !== undefined && issued >= o.maxRequests)) {
          closed = true;
          socket.end();
          return resolve();
        }
        sentAt = now;
        socket.write(o.request(issued++));
      };

      const open = () => {
        socket = connect(o.port, host);
        socket.setNoDelay(true);
        socket.on('connect', next);
        socket.on('data', (chunk: Buffer) => {
          buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
          for (;;) {
            const headEnd = buf.indexOf('\r\n\r\n');
            if (headEnd < 0) return;
            const head = buf.subarray(0, headEnd).toString('latin1');
            const m = /content-length:\s*(\d+)/i.exec(head);
            const length = m ? Number(m[1]) : 0;
            if (buf.length < headEnd + 4 + length) return;
            const status = Number(head.slice(9, 12));
            const body = buf.subarray(headEnd + 4, headEnd + 4 + length);
            buf = buf.subarray(headEnd + 4 + length);
            const done = performance.now();
            if (sentAt >= warmupEnd) {
              if (!recorded) measureStart = sentAt;
              recorded++;
              latencies.push(done - sentAt);
              statuses[status] = (statuses[status] ?? 0) + 1;
              lastDone = done;
              if (status < 300 && sampleBodies.length < 3) sampleBodies.push(body.toString('utf8'));
            }
            next();
          }
        });
        socket.on('error', () => {
          errors++;
        });
        socket.on('close', () => {
          if (closed) return;
          // the server dropped the connection: open another and carry on
          buf = Buffer.alloc(0);
          if (performance.now() < end) setTimeout(open, 10);
          else resolve();
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: o.connections }, runConnection));
  latencies.sort((a, b) => a - b);
  const pick = (p: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : NaN;
  const seconds = Math.max(0.001, (lastDone - measureStart) / 1000);
  const non2xx = Object.entries(statuses).reduce((n, [s, c]) => (Number(s) >= 300 ? n + c : n), 0);
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: recorded,
    seconds: r2(seconds),
    rps: Math.round(recorded / seconds),
    statuses,
    non2xx,
    errors,
    latencyMs: {
      p50: r2(pick(50)),
      p90: r2(pick(90)),
      p99: r2(pick(99)),
      max: r2(latencies[latencies.length - 1] ?? NaN),
      mean: r2(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    },
    sampleBodies,
  };
}

/** Raw bytes of a keep-alive JSON POST. */
export function jsonPost(path: string, body: string, headers: Record<string, string> = {}): Buffer {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}
