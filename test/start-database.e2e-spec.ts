import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './support/free-port';
import { databaseExists } from './support/private-database';
import { adminDbUrl } from './support/run-env';
import { FlowgateProcess, spawnFlowgate } from './support/spawn-flowgate';
import { startTcpProxy } from './support/tcp-proxy';
import { LEVEL, LogLine, parseLogLines } from './support/log-lines';

const root = join(__dirname, '..');
const main = join(root, 'dist', 'src', 'main.js');

/** The process's output as log lines: every line it writes must be Flowgate's JSON. */
const jsonLines = (output: string[]): LogLine[] => parseLogLines(output.filter(Boolean));

/** "Not reachable yet, retrying" lines: the ones that carry the delay before the next attempt. */
const waitLines = (output: string[]) => jsonLines(output).filter((l) => l.delayMs !== undefined);

/** The message of the one fatal line a refused start writes (pino level 60). */
function fatalLine(stdout: string): string {
  const fatal = jsonLines(stdout.split('\n')).filter((l) => l.level === LEVEL.fatal);
  expect(fatal).toHaveLength(1);
  return fatal[0].msg ?? '';
}

/** Runs the built service until it exits on its own (it is expected to refuse to start). */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      WORKER_PORT: String(await freePort()),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'fgt-local'}-pgstart`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  // Never left running should it wait instead of exiting (the test then fails on `code`).
  const guard = setTimeout(() => proc.kill('SIGKILL'), 50_000);
  const code = await new Promise<number | null>((resolve) => proc.once('close', (c) => resolve(c)));
  clearTimeout(guard);
  return { code, stdout, stderr };
}

describe('start-up and PostgreSQL (compiled service)', () => {
  it('waits for a PostgreSQL that comes up after it, logging each attempt, then becomes ready', async () => {
    const target = new URL(process.env.DATABASE_URL!);
    // A proxy in front of the real PostgreSQL, not listening yet: the database is "still booting".
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.cut();
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    let restoring: Promise<void> | undefined;
    let fg: FlowgateProcess | undefined;
    try {
      fg = await spawnFlowgate(
        {
          DATABASE_URL: viaProxy.toString(),
          REDIS_URL: process.env.REDIS_URL!,
          QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-pgwait`,
          LOG_LEVEL: 'info', // retries are warn lines, "answered" is info
        },
        60_000,
        (line) => {
          // After the third refused attempt, PostgreSQL "comes up".
          if (!restoring && waitLines([line])[0]?.attempt === 3) restoring = proxy.restore();
        },
      );
      await restoring;

      const waits = waitLines(fg.output);
      expect(waits.map((l) => l.attempt)).toEqual([1, 2, 3]);
      expect(waits.map((l) => l.delayMs)).toEqual([500, 1000, 2000]);
      for (const l of waits) {
        expect(l.msg).toMatch(/^PostgreSQL not reachable yet \(attempt \d\); retrying in \d+ ms$/);
        expect(l.error).toMatchObject({ code: 'ECONNREFUSED', message: expect.stringContaining(`127.0.0.1:${proxy.port}`) });
      }
      expect(jsonLines(fg.output).map((l) => l.msg)).toContain('PostgreSQL answered on attempt 4');
      expect((await fetch(`${fg.url}/health/ready`)).status).toBe(200);
    } finally {
      await fg?.stop();
      await proxy.close();
    }
  });

  it('gives up on an unreachable PostgreSQL after DATABASE_CONNECT_TIMEOUT_SECONDS with a clear message and no password', async () => {
    const password = 'Unreachable-pa55word-7f3e';
    const port = await freePort(); // nothing listens there
    const r = await runUntilExit({
      DATABASE_URL: `postgres://flowgate:${password}@127.0.0.1:${port}/flowgate_unreachable`,
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
    });

    expect(r.code).toBe(1);
    const fatal = fatalLine(r.stdout);
    expect(fatal).toMatch(
      new RegExp(
        `^Flowgate cannot start: PostgreSQL at flowgate@127\\.0\\.0\\.1:${port}/flowgate_unreachable did not answer within 2 s \\(\\d+ attempts\\); last error: ECONNREFUSED`,
      ),
    );
    expect(fatal).toContain('DATABASE_CONNECT_TIMEOUT_SECONDS');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    const waits = waitLines(r.stdout.split('\n'));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits.map((l) => l.attempt)).toEqual(waits.map((_, i) => i + 1));
    expect(r.stdout + r.stderr).not.toContain(password);
  });

  it('with DATABASE_CREATE=false, a missing database stops the start with a clear message and is not created', async () => {
    const name = `flowgate_test_missing_${Date.now().toString(36)}`;
    const url = new URL(adminDbUrl());
    url.pathname = `/${name}`;
    const r = await runUntilExit({ DATABASE_URL: url.toString(), DATABASE_CREATE: 'false' });

    expect(r.code).toBe(1);
    const fatal = fatalLine(r.stdout);
    expect(fatal).toContain(`Flowgate cannot start: DATABASE_URL: database "${name}" does not exist on`);
    expect(fatal).toContain('set DATABASE_CREATE=true');
    expect(waitLines(r.stdout.split('\n'))).toEqual([]); // refused at once: waiting would not create it
    expect(await databaseExists(name)).toBe(false);
  });
});
