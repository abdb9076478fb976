import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase } from '../../src/core/database/ensure-database';
import { runMigrations } from '../../src/core/database/migrate';
import { adminDbUrl } from './run-env';

export interface PrivateDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A migrated database of its own, for tests whose subject is system-wide (a refresh sweep
 * or cleanup touches every tenant's rows) and must not meet rows of concurrently running
 * spec files in the run's shared database.
 */
export async function createPrivateDatabase(tag: string): Promise<PrivateDatabase> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flowgate_test_local');
  base.pathname = `/${`${base.pathname.slice(1)}_${tag}_${randomBytes(3).toString('hex')}`.slice(0, 63)}`;
  const url = base.toString();
  await ensureDatabase(url);
  await runMigrations(url);
  return { url, drop: () => dropDatabase(url) };
}

/** Whether PostgreSQL has a database of that name (asked through the maintenance database). */
export async function databaseExists(name: string): Promise<boolean> {
  const c = new Client({ connectionString: adminDbUrl() });
  await c.connect();
  try {
    return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await c.end();
  }
}
