import { freePort } from '../../../test/support/free-port';
import { databaseExists } from '../../../test/support/private-database';
import { adminDbUrl } from '../../../test/support/run-env';
import { withDatabase } from './database-url';
import { dropDatabase } from './ensure-database';
import { DatabaseStartError, retryDelayMs, waitForDatabase } from './wait-for-database';

type Line = { msg: string; fields?: Record<string, unknown> };

function collect() {
  const lines: Line[] = [];
  return { lines, log: (msg: string, fields?: Record<string, unknown>) => lines.push({ msg, fields }) };
}

describe('waitForDatabase', () => {
  it('backs off exponentially from 0.5 s to a 10 s cap', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('logs each failed attempt and gives up after its budget, never showing the password', async () => {
    const port = await freePort(); // nothing listens there
    const { lines, log } = collect();
    const url = `postgres://flowgate:pa55-w0rd-never-shown@127.0.0.1:${port}/flowgate`;
    const error = await waitForDatabase({ url, create: true, connectTimeoutSeconds: 1 }, log).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DatabaseStartError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `PostgreSQL at flowgate@127\\.0\\.0\\.1:${port}/flowgate did not answer within 1 s \\(\\d+ attempts\\); last error: ECONNREFUSED`,
      ),
    );
    expect((error as Error).message).toContain('DATABASE_CONNECT_TIMEOUT_SECONDS');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    lines.forEach((l, i) => {
      expect(l.fields).toMatchObject({
        attempt: i + 1,
        delayMs: expect.any(Number),
        error: { code: 'ECONNREFUSED', message: expect.stringContaining('ECONNREFUSED') },
      });
    });
    expect(JSON.stringify(lines) + (error as Error).message).not.toContain('pa55-w0rd');
  });

  it('with creation off, names the missing database and creates nothing', async () => {
    const name = `flowgate_test_nocreate_${Date.now().toString(36)}`;
    const { lines, log } = collect();
    const error = await waitForDatabase({ url: withDatabase(adminDbUrl(), name), create: false, connectTimeoutSeconds: 5 }, log).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseStartError);
    expect((error as Error).message).toContain(`database "${name}" does not exist`);
    expect((error as Error).message).toContain('DATABASE_CREATE=true');
    expect(lines).toEqual([]); // refused at once: waiting cannot create it
    expect(await databaseExists(name)).toBe(false);
  });

  it('with creation on, creates a missing database once and finds it there the next time', async () => {
    const name = `flowgate_test_create_${Date.now().toString(36)}`;
    const url = withDatabase(adminDbUrl(), name);
    try {
      const first = collect();
      await waitForDatabase({ url, create: true, connectTimeoutSeconds: 5 }, first.log);
      expect(first.lines.map((l) => l.msg)).toEqual([`created database ${name}`]);
      expect(await databaseExists(name)).toBe(true);
      const second = collect();
      await waitForDatabase({ url, create: true, connectTimeoutSeconds: 5 }, second.log);
      expect(second.lines).toEqual([]);
    } finally {
      await dropDatabase(url);
    }
  });
});
