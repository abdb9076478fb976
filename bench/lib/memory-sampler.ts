/**
 * Preloaded (`node --require memory-sampler.js main.js`) into a process under benchmark, to say
 * what a peak RSS is made of. Every 100 ms it reads `process.memoryUsage()` and V8's heap
 * spaces and keeps the peak of each; a PerformanceObserver counts garbage collections by kind
 * and their total pause. Measurement harness only: Flowgate itself knows nothing of it.
 *
 * GET http://127.0.0.1:$MEMORY_SAMPLER_PORT/ → `{ peakMb: { rss, heapTotal, heapUsed, external,
 * arrayBuffers, <space>_committed... }, heapSizeLimitMb, gc: { scavenges, markCompacts, pauseMs } }`.
 * heapSizeLimitMb is old generation limit + 3 × max semi-space: it shows the young generation
 * size V8 chose.
 */
import { createServer } from 'node:http';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const port = Number(process.env.MEMORY_SAMPLER_PORT);

if (port) {
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  const peak: Record<string, number> = {};
  const keep = (name: string, bytes: number) => {
    if (!(bytes <= (peak[name] ?? -1))) peak[name] = bytes;
  };
  const sample = () => {
    const m = process.memoryUsage();
    keep('rss', m.rss);
    keep('heapTotal', m.heapTotal);
    keep('heapUsed', m.heapUsed);
    keep('external', m.external);
    keep('arrayBuffers', m.arrayBuffers);
    for (const s of getHeapSpaceStatistics()) keep(`${s.space_name}_committed`, s.space_size);
  };
  setInterval(sample, 100).unref();

  const gc = { scavenges: 0, markCompacts: 0, pauseMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.scavenges++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.markCompacts++;
      gc.pauseMs += e.duration;
    }
  }).observe({ entryTypes: ['gc'] });

  const heapSizeLimit = getHeapStatistics().heap_size_limit;
  const server = createServer((_req, res) => {
    sample();
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        peakMb: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, mb(v)])),
        heapSizeLimitMb: mb(heapSizeLimit),
        gc: { ...gc, pauseMs: Math.round(gc.pauseMs) },
      }),
    );
  });
  server.listen(port, '127.0.0.1');
  // Never the reason the process stays up.
  server.unref();
}
