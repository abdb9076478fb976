import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';

export interface PrivateRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL): clients see the connection drop. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty unless started `persistent`). */
  start(): Promise<void>;
}

export interface RedisProcess {
  port: number;
  proc: ChildProcess;
  /** SIGKILL, resolved once the process has exited (at once if it already has). */
  kill(): Promise<void>;
}

/**
 * A redis-server process (a plain server, a cluster node or a sentinel: `args` says which) on
 * `opts.port` or a free loopback port; resolves once it answers PING.
 */
export async function spawnRedisProcess(
  args: (port: number) => string[],
  opts: { port?: number; cwd?: string } = {},
): Promise<RedisProcess> {
  const port = opts.port ?? (await freePort());
  const proc = spawn('redis-server', args(port), { stdio: 'ignore', cwd: opts.cwd });
  const kill = async () => {
    // A killed process has a signalCode, not an exitCode.
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return { port, proc, kill };
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`redis-server on port ${port} did not start`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * A throwaway redis-server on a free loopback port, for tests that take Redis away
 * without disturbing the shared one.
 */
export async function startRedisServer(opts: { persistent?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  let server: RedisProcess | undefined;
  // Persistent: every acknowledged write is fsynced to an append-only file, as a production
  // Redis behind a queue should be, so a kill -9 and restart keeps what it acknowledged.
  const dir = opts.persistent ? mkdtempSync(join(tmpdir(), 'fg-redis-')) : undefined;
  const persistence = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : ['--appendonly', 'no'];
  const start = async () => {
    server = await spawnRedisProcess((p) => ['--port', String(p), '--bind', '127.0.0.1', '--save', '', ...persistence], { port });
  };
  const stop = async () => {
    await server?.kill();
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
