import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface FlowgateProcess {
  proc: ChildProcess;
  /** The API port (ROLE=api/all) or the probe port (ROLE=worker). */
  port: number;
  url: string;
  /** stdout and stderr lines. */
  output: string[];
  /** SIGKILL: the process dies with jobs in flight (no shutdown hooks). */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit (graceful shutdown). */
  stop(): Promise<number | null>;
}

/**
 * Starts Flowgate from dist/ (built by jest globalSetup) as a separate process: a replica that
 * can be killed for real. `env` must give the same DATABASE_URL, REDIS_URL, QUEUE_PREFIX (and
 * JWT_SECRET/ENCRYPTION_KEY) as the deployment it joins. Resolves once /health/ready answers 200.
 */
export async function spawnFlowgate(
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
  /** Called with each output line as it arrives, also before ready (to act on start-up lines). */
  onLine?: (line: string) => void,
): Promise<FlowgateProcess> {
  const port = await freePort();
  const role = env.ROLE ?? 'all';
  const root = join(__dirname, '..', '..');
  const proc = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RUN_MIGRATIONS: 'false',
      HOST: '127.0.0.1',
      ...env,
      ...(role === 'worker' ? { WORKER_PORT: String(port) } : { PORT: String(port), WORKER_PORT: String(await freePort()) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  // A chunk can end mid-line: keep each stream's unfinished line until its end arrives.
  const collector = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        if (!line) continue;
        output.push(line);
        onLine?.(line);
      }
    };
  };
  proc.stdout!.on('data', collector());
  proc.stderr!.on('data', collector());
  // 'close' rather than 'exit': the process has exited and all its output has been read
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}: ${output.slice(-5).join(' | ')}`);
        const res = await fetch(`${url}/health/ready`).catch(() => undefined);
        return res?.status === 200;
      },
      `Flowgate (${role}) to be ready`,
      readyTimeoutMs,
      100,
    );
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
  return {
    proc,
    port,
    url,
    output,
    kill9: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}
