import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from '../src/core/database/ensure-database';
import { BenchFigure, BenchRun, runWhenMain } from './lib/types';
import { percentile, round } from './lib/bench-env';
import { peakRssMb, START_FLAGS } from './lib/node-runtime';

const MAIN = join(__dirname, '..', 'src', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a process and measures the time until `url` answers 200, and its peak RSS (MB) by then. */
async function timeToReady(
  args: string[],
  env: NodeJS.ProcessEnv,
  url: (port: number) => string,
): Promise<{ ms: number; peakRssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
    cwd: mkdtempSync(join(tmpdir(), 'fg-cold-')),
  });
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`process exited with ${proc.exitCode}`);
      const ok = await fetch(url(port))
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return { ms: performance.now() - started, peakRssMb: peakRssMb(proc.pid!) };
      if (performance.now() - started > 60_000) throw new Error('not ready within 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    proc.kill('SIGKILL');
  }
}

export const run: BenchRun = async () => {
  const rounds = Number(process.env.BENCH_COLD_START_ROUNDS ?? 5);
  const bare = `require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')`;
  const baseline: Array<{ ms: number; peakRssMb: number }> = [];
  const fresh: typeof baseline = [];
  const warm: typeof baseline = [];
  for (let i = 0; i < rounds; i++) {
    baseline.push(await timeToReady(['-e', bare], {}, (p) => `http://127.0.0.1:${p}/`));
    const db = `postgres://postgres@127.0.0.1:5432/flowgate_bench_cold_${Date.now().toString(36)}_${i}`;
    const env = { NODE_ENV: 'development', DATABASE_URL: db, HOST: '127.0.0.1', LOG_LEVEL: 'warn', QUEUE_PREFIX: `fgb-cold-${i}` };
    try {
      fresh.push(await timeToReady([...START_FLAGS, MAIN], env, (p) => `http://127.0.0.1:${p}/health/ready`));
      warm.push(await timeToReady([...START_FLAGS, MAIN], env, (p) => `http://127.0.0.1:${p}/health/ready`));
    } finally {
      await dropDatabase(db);
    }
  }
  const ms = (rs: typeof baseline) => rs.map((r) => r.ms).sort((a, b) => a - b);
  const med = (rs: typeof baseline) => round(percentile(ms(rs), 50), 0);
  const worst = (rs: typeof baseline) => round(Math.max(...ms(rs)), 0);
  const peak = (rs: typeof baseline) => Math.max(...rs.map((r) => r.peakRssMb));
  const readyFigure = (name: string, rs: typeof baseline): BenchFigure => ({
    name,
    flowgate: med(rs),
    baseline: med(baseline),
    unit: 'ms',
    target: '< 10,000 ms',
    pass: worst(rs) < 10_000,
    note: `worst ${worst(rs)} ms`,
    rssMb: { flowgate: peak(rs), baseline: peak(baseline), note: 'at ready' },
  });
  return {
    title: 'Cold start',
    method: `Time from spawning \`node ${START_FLAGS.join(' ')} dist/src/main.js\` (ROLE=all, npm start's flags) to the first 200 from \`/health/ready\`, median of ${rounds} runs: once on a database that does not exist yet (create + all migrations) and once on a migrated one. Baseline: a bare \`node:http\` server spawned the same way, to its first 200. Excludes \`npm run build\` (about 2 s with swc).`,
    figures: [readyFigure('ready, new database (create + migrate)', fresh), readyFigure('ready, migrated database', warm)],
  };
};

runWhenMain(module, run);
