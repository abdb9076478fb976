import { randomBytes } from 'node:crypto';

/** Names shared by global setup, every test worker and global teardown of one `npm test` run. */
export const RUN_ENV_FILE_VAR = 'FLOWGATE_TEST_RUN';

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function adminDbUrl(): string {
  return process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function testDbUrl(runId: string): string {
  const u = new URL(adminDbUrl());
  u.pathname = `/flowgate_test_${runId}`;
  return u.toString();
}

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}
