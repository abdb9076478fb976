import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { peakRssMb, START_FLAGS } from './node-runtime';

export interface SoakOptions {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  seconds: number;
  /** Webhooks per second the load generator aims for. */
  rate: number;
  /** Path to the compiled entry point (dist/src/main.js). */
  main: string;
}

export interface SoakResult {
  seconds: number;
  accepted: number;
  rejected: number;
  succeeded: number;
  executionRows: number;
  duplicateRows: number;
  samples: Array<{ t: number; rssMb: number }>;
  /** Heap in use right after forced full GCs (the heap probe), every HEAP_SAMPLE_SECONDS. */
  heapSamples: Array<{ t: number; heapUsedMb: number }>;
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  /** The kernel's high-water mark of the process (VmHWM) at the end of the load, MB. */
  peakRssMb: number;
  /** Least-squares slope of RSS over the second half of the run, MB per minute (GC sawtooth included). */
  rssSlopeMbPerMin: number;
  /**
   * The leak signal: Theil–Sen slope (median of pairwise slopes, so one odd sample cannot swing
   * it) of the heap left after forced full GCs, over the last two thirds of the run, MB/min.
   */
  retainedHeapSlopeMbPerMin: number;
  retainedHeapStartMb: number;
  retainedHeapEndMb: number;
  achievedRate: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Least-squares slope of `v` against `t` (seconds), per minute. */
export function slope(points: Array<{ t: number; v: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den ? (num / den) * 60 : 0;
}

/** Theil–Sen estimator: the median of the slopes between every pair of points, per minute. */
export function robustSlope(points: Array<{ t: number; v: number }>): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++)
      if (points[j].t !== points[i].t) slopes.push((points[j].v - points[i].v) / (points[j].t - points[i].t));
  if (!slopes.length) return 0;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return (slopes.length % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2) * 60;
}

const HEAP_SAMPLE_SECONDS = 5;

/**
 * Calls `tick` at started + period, started + 2·period, … by the wall clock. A plain setInterval
 * re-arms from when its callback ran, so on a busy event loop (this process sends 100 requests a
 * second) it drifts: CI once got 297 one-second samples in 300 s. Aiming each timer at its own
 * slot, and firing at once when a slot is already past, keeps one sample per period.
 */
function onTheClock(started: number, periodMs: number, tick: (elapsedSeconds: number) => void): () => void {
  let slot = 1;
  let timer: NodeJS.Timeout;
  const arm = () => {
    timer = setTimeout(
      () => {
        slot++;
        tick((Date.now() - started) / 1000);
        arm();
      },
      Math.max(0, started + slot * periodMs - Date.now()),
    );
  };
  arm();
  return () => clearTimeout(timer);
}

async function retainedHeapMb(probePort: number): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${probePort}/`)
    .then((x) => x.json() as Promise<{ heapUsedMb: number }>)
    .catch(() => null);
  return r?.heapUsedMb ?? NaN;
}

/**
 * Runs Flowgate (API + worker in one process, as `npm start` does) under steady webhook load,
 * sampling its resident memory every second, then checks that every accepted event became
 * exactly one succeeded execution.
 */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const port = await freePort();
  const probePort = await freePort();
  // Compiled beside main (dist/src/main.js → dist/bench/lib/heap-probe.js), also when this file runs from source under jest.
  const heapProbe = join(dirname(o.main), '..', 'bench', 'lib', 'heap-probe.js');
  // npm start's node flags; --expose-gc and the preloaded probe let the soak read what survives a full GC.
  const proc: ChildProcess = spawn(process.execPath, [...START_FLAGS, '--expose-gc', '--require', heapProbe, o.main], {
    env: {
      ...process.env,
      HEAP_PROBE_PORT: String(probePort),
      NODE_ENV: 'test',
      ROLE: 'all',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: o.databaseUrl,
      REDIS_URL: o.redisUrl,
      QUEUE_PREFIX: o.prefix,
      LOG_LEVEL: 'warn',
      RUN_MIGRATIONS: 'true',
      WEBHOOK_RATE_LIMIT: '100000000',
      RATE_LIMIT_REQUESTS: '1000000',
      RATE_LIMIT_LIMIT: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    while (
      !(await fetch(`${base}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false))
    ) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error('Flowgate did not start for the soak');
      await new Promise((r) => setTimeout(r, 100));
    }
    const post = (path: string, body: unknown, token?: string) =>
      fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const reg: any = await (
      await post('/api/auth/register', { email: `soak-${Date.now()}@example.test`, password: 'soak-password-1', tenantName: 'Soak' })
    ).json();
    const wf: any = await (
      await post(
        '/api/workflows',
        {
          name: 'soak',
          trigger: { type: 'webhook' },
          steps: [
            { name: 'shape', type: 'transform', params: { greeting: 'Hello {{trigger.user.name}}', orderId: '{{trigger.order.id}}' } },
            { name: 'check', type: 'condition', params: { left: '{{steps.shape.orderId}}', operator: 'exists' } },
          ],
          settings: { retries: 2, backoff: { type: 'exponential', delayMs: 100 } },
        },
        reg.accessToken,
      )
    ).json();
    if (!wf.id) throw new Error(`could not create the soak workflow: ${JSON.stringify(wf)}`);

    const samples: SoakResult['samples'] = [];
    const started = Date.now();
    const heapSamples: SoakResult['heapSamples'] = [];
    const stopSampler = onTheClock(started, 1000, (t) => samples.push({ t, rssMb: rssMb(proc.pid!) }));
    const stopHeapSampler = onTheClock(started, HEAP_SAMPLE_SECONDS * 1000, (t) => {
      void retainedHeapMb(probePort).then((heapUsedMb) => Number.isFinite(heapUsedMb) && heapSamples.push({ t, heapUsedMb }));
    });
    let accepted = 0;
    let rejected = 0;
    const ids = new Set<string>();
    const interval = 1000 / o.rate;
    let next = Date.now();
    const inflight = new Set<Promise<void>>();
    let i = 0;
    while (Date.now() - started < o.seconds * 1000) {
      const p = post(`/api/webhooks/${wf.id}`, { user: { name: `U${i}` }, order: { id: String(i) }, pad: 'x'.repeat(40) })
        .then(async (r) => {
          if (r.status === 202) {
            accepted++;
            ids.add(((await r.json()) as { executionId: string }).executionId);
          } else {
            rejected++;
            await r.arrayBuffer();
          }
        })
        .catch(() => void rejected++)
        .finally(() => inflight.delete(p));
      inflight.add(p);
      i++;
      next += interval;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inflight.size > 200) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    stopSampler();
    stopHeapSampler();
    const peak = peakRssMb(proc.pid!);
    const elapsed = (Date.now() - started) / 1000;

    // Let the worker drain, then count rows.
    const db = new Client({ connectionString: o.databaseUrl });
    await db.connect();
    let succeeded = 0;
    let rows = 0;
    const drainDeadline = Date.now() + 120_000;
    for (;;) {
      const r = await db.query(
        `SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'succeeded')::int AS ok, count(DISTINCT id)::int AS distinct_ids FROM executions WHERE workflow_id = $1`,
        [wf.id],
      );
      rows = r.rows[0].rows;
      succeeded = r.rows[0].ok;
      if (succeeded >= accepted || Date.now() > drainDeadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const dup = await db.query(
      `SELECT count(*)::int AS n FROM (SELECT id FROM executions WHERE workflow_id = $1 GROUP BY id HAVING count(*) > 1) d`,
      [wf.id],
    );
    await db.end();

    const secondHalf = samples.filter((s) => s.t >= elapsed / 2).map((s) => ({ t: s.t, v: s.rssMb }));
    const retained = heapSamples.filter((s) => s.t >= elapsed / 3).map((s) => ({ t: s.t, v: s.heapUsedMb }));
    return {
      seconds: Math.round(elapsed),
      accepted,
      rejected,
      succeeded,
      executionRows: rows,
      duplicateRows: dup.rows[0].n,
      samples,
      heapSamples,
      rssStartMb: samples[0]?.rssMb ?? NaN,
      rssEndMb: samples[samples.length - 1]?.rssMb ?? NaN,
      rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
      peakRssMb: peak,
      rssSlopeMbPerMin: slope(secondHalf),
      retainedHeapSlopeMbPerMin: robustSlope(retained),
      retainedHeapStartMb: retained[0]?.v ?? NaN,
      retainedHeapEndMb: retained[retained.length - 1]?.v ?? NaN,
      achievedRate: Math.round(accepted / elapsed),
    };
  } finally {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (proc.exitCode === null) proc.kill('SIGKILL');
  }
}

export const DIST_MAIN = join(__dirname, '..', '..', 'src', 'main.js');
