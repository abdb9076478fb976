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

/**
 * A throwaway redis-server on a free loopback port, for tests that take Redis away
 * without disturbing the shared one.
 */
export async function startRedisServer(opts: { persistent?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  // Persistent: every acknowledged write is fsynced to an append-only file, as a production
  // Redis behind a queue should be, so a kill -9 and restart keeps what it acknowledged.
  const dir = opts.persistent ? mkdtempSync(join(tmpdir(), 'fg-redis-')) : undefined;
  const persistence = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir] : ['--appendonly', 'no'];
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const stop = async () => {
    // A killed process has a signalCode, not an exitCode.
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc!.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
