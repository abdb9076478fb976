import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase } from '../src/core/database/ensure-database';
import { runMigrations } from '../src/core/database/migrate';
import { freePort } from './support/free-port';
import { LEVEL, parseLogLines, splitLines } from './support/log-lines';
import { adminDbUrl } from './support/run-env';
import { waitFor } from './support/wait-for';

const root = join(__dirname, '..');
const main = join(root, 'dist', 'src', 'main.js');

function freshDbUrl(tag: string): string {
  const u = new URL(adminDbUrl());
  u.pathname = `/flowgate_test_${tag}_${Date.now().toString(36)}${process.pid}`;
  return u.toString();
}

describe('starting the service (compiled, as `npm start` runs it)', () => {
  it('refuses a bad setting with a clear message and no stack trace', () => {
    const r = spawnSync(process.execPath, [main], { env: { ...process.env, PORT: 'abc', NODE_ENV: 'development' }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const [line] = parseLogLines(splitLines(r.stdout));
    expect(line.msg).toMatch(/^Flowgate cannot start: invalid configuration: PORT: /);
    expect(r.stdout).not.toContain('stack');
  });

  it('names each bad connection setting: URL schemes and the port range, without echoing a password', () => {
    const r = spawnSync(process.execPath, [main], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: 'mysql://root:hunter2-db@db:3306/flowgate',
        REDIS_URL: 'http://cache:6379',
        PORT: '70000',
      },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const [line] = parseLogLines(splitLines(r.stdout)) as { msg?: string; problems?: string[] }[];
    expect(line.problems).toEqual(
      expect.arrayContaining([
        'PORT: must be a whole number between 1 and 65535, got 70000',
        'DATABASE_URL: must start with postgres:// or postgresql://, got "mysql://"',
        'REDIS_URL: must start with redis:// or rediss:// (TLS), got "http://"',
      ]),
    );
    expect(r.stdout + r.stderr).not.toContain('hunter2');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the missing secrets in production', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    delete env.JWT_SECRET;
    delete env.ENCRYPTION_KEY;
    const r = spawnSync(process.execPath, [main], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('JWT_SECRET: required in production');
    expect(r.stdout).toContain('ENCRYPTION_KEY: required in production');
  });

  it('creates the database, migrates, becomes ready, serves /docs, and stops cleanly on SIGTERM', async () => {
    const dbUrl = freshDbUrl('start');
    const port = await freePort();
    let proc: ChildProcess | undefined;
    let output = '';
    const cwd = join(root, 'test', '.artifacts');
    mkdirSync(cwd, { recursive: true });
    try {
      proc = spawn(process.execPath, [main], {
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_URL: dbUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-start`,
        },
        cwd, // dev secrets land here, not in the checkout
      });
      proc.stdout!.on('data', (d) => (output += d));
      proc.stderr!.on('data', (d) => (output += d));
      await waitFor(
        async () => {
          if (proc!.exitCode !== null) throw new Error(`exited ${proc!.exitCode}: ${output}`);
          const r = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
          return r?.status === 200;
        },
        'the service to become ready',
        30_000,
        100,
      );
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);
      expect(output).toContain('migration Foundation');
      // 'close': the exit and every line written before it have arrived
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
        proc!.once('close', (code, signal) => r({ code, signal })),
      );
      proc.kill('SIGTERM');
      // Nest closes the app (workers finish their jobs), then re-raises the signal.
      const { code, signal } = await exited;
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
      // every line, migrations and the stop included, is a JSON log line; none an error
      const lines = parseLogLines(splitLines(output));
      expect(lines.filter((l) => l.level >= LEVEL.error)).toEqual([]);
      expect(lines[lines.length - 1]).toMatchObject({ msg: 'shutdown complete', signal: 'SIGTERM' });
    } finally {
      if (proc && proc.exitCode === null) proc.kill('SIGKILL');
      await dropDatabase(dbUrl);
    }
  });

  it('migrates exactly once when several replicas start together (advisory lock)', async () => {
    const dbUrl = freshDbUrl('lock');
    try {
      await ensureDatabase(dbUrl);
      const results = await Promise.all([runMigrations(dbUrl), runMigrations(dbUrl), runMigrations(dbUrl)]);
      const applied = results.flat();
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied.length).toBeGreaterThan(0);
      expect(await runMigrations(dbUrl)).toEqual([]);
    } finally {
      await dropDatabase(dbUrl);
    }
  });
});
