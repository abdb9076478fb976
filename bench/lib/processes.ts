import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { peakRssMb, START_FLAGS } from './node-runtime';

export const DIST_ROOT = join(__dirname, '..', '..');
export const FLOWGATE_MAIN = join(DIST_ROOT, 'src', 'main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  url: string;
  port: number;
  /** Peak RSS of the process so far (VmHWM), MB; after stop(), the value read just before it. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

async function waitReady(url: string, proc: ChildProcess, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function child(proc: ChildProcess, url: string, port: number): Child {
  let lastPeak = NaN;
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    url,
    port,
    peakRssMb: () => (alive() ? (lastPeak = peakRssMb(proc.pid!)) : lastPeak),
    async stop() {
      if (!alive()) return;
      lastPeak = peakRssMb(proc.pid!);
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface NodeOptions {
  /** The node binary (default: the one running the benchmark). */
  node?: string;
  /** Flags before the script (default: those of `npm start`, START_FLAGS). */
  nodeFlags?: string[];
}

/** `node <npm start's flags> dist/src/main.js` with the given settings; resolves when /health/ready answers 200. */
export async function startFlowgate(env: Record<string, string>, o: NodeOptions = {}): Promise<Child> {
  const port = await freePort();
  const role = env.ROLE ?? 'all';
  const proc = spawn(o.node ?? process.execPath, [...(o.nodeFlags ?? START_FLAGS), FLOWGATE_MAIN], {
    cwd: DIST_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RUN_MIGRATIONS: 'false',
      HOST: '127.0.0.1',
      SWAGGER_ENABLED: 'false',
      // generous limits: the benchmark measures throughput, not the limiters
      WEBHOOK_RATE_LIMIT: '1000000000',
      RATE_LIMIT_LIMIT: '1000000000',
      RATE_LIMIT_REQUESTS: '1000000000',
      AUTH_RATE_LIMIT_LIMIT: '1000000',
      AUTH_RATE_LIMIT_IP_LIMIT: '1000000',
      KONG_ADMIN_URL: '',
      ...env,
      ...(role === 'worker' ? { WORKER_PORT: String(port) } : { PORT: String(port), WORKER_PORT: String(await freePort()) }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/health/ready`, proc, `Flowgate (${role})`);
  return child(proc, url, port);
}

/** A baseline script from dist/bench/lib, given its env; it must answer GET /ready on PORT. */
export async function startScript(script: string, env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(__dirname, script)], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/ready`, proc, script);
  return child(proc, url, port);
}

/** Bench secrets: fixed per run so every process of one deployment agrees. */
export function benchSecrets(): Record<string, string> {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return { JWT_SECRET: hex(64), ENCRYPTION_KEY: hex(64) };
}
