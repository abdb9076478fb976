/**
 * Preloaded (`node --expose-gc --require heap-probe.js main.js`) into the process under soak, so
 * the soak can read what survives a full garbage collection instead of guessing it from the
 * sawtooth. Nothing in Flowgate itself knows about it: it is measurement harness only.
 *
 * GET http://127.0.0.1:$HEAP_PROBE_PORT/ → forces two full GCs, answers
 * `{ heapUsedMb, oldSpaceMb, externalMb, rssMb }`.
 */
import { createServer } from 'node:http';
import { getHeapSpaceStatistics } from 'node:v8';

const port = Number(process.env.HEAP_PROBE_PORT);
const gc = (globalThis as { gc?: () => void }).gc;

if (port && gc) {
  const mb = (n: number) => Math.round((n / 2 ** 20) * 100) / 100;
  const server = createServer((_req, res) => {
    gc();
    gc();
    const mem = process.memoryUsage();
    const old = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        heapUsedMb: mb(mem.heapUsed),
        oldSpaceMb: mb(old?.space_used_size ?? NaN),
        externalMb: mb(mem.external),
        rssMb: mb(mem.rss),
      }),
    );
  });
  server.listen(port, '127.0.0.1');
  // Never the reason the process stays up.
  server.unref();
}
