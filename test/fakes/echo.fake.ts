import { gzipSync } from 'node:zlib';
import { startFake, FakeServer } from './fake-server';

/**
 * A generic HTTP sink for the `http` connector and the outbound client:
 * - `* /status/:code`: answers that status with `{ error: "status <code>" }`;
 * - `* /text`: a plain-text body; `GET /bytes/:n`: n bytes of "x"; `GET /gzip/:n`: the same, gzipped;
 * - `* /hang`: never answers (timeouts);
 * - `* /redirect/:n`: 302 chain of n hops ending at /echo; `* /redirect-to?url=`: 302 to that URL;
 * - anything else: echoes `{ method, path, query, headers, body }` as JSON.
 */
export function startEchoFake(): Promise<FakeServer> {
  return startFake({
    '* /status/:code': (req) => ({ status: Number(req.params.code), body: { error: `status ${req.params.code}` } }),
    '* /text': () => ({ body: 'plain text answer' }),
    'GET /bytes/:n': (req) => ({ body: Buffer.alloc(Number(req.params.n), 'x'), headers: { 'content-type': 'application/octet-stream' } }),
    'GET /gzip/:n': (req) => ({
      body: gzipSync(Buffer.alloc(Number(req.params.n), 'x')),
      headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' },
    }),
    '* /hang': () => ({ hang: true }),
    '* /redirect/:n': (req) => {
      const n = Number(req.params.n);
      return { status: 302, headers: { location: n > 1 ? `/redirect/${n - 1}` : '/echo' } };
    },
    '* /redirect-to': (req) => ({ status: 302, headers: { location: req.query.url } }),
    '* /*': (req) => ({ body: { method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.body ?? null } }),
  });
}
