import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK_ID = 716_300_421;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so several replicas
 * starting at once migrate exactly once. The database must exist (waitForDatabase or
 * ensureDatabase first).
 */
export async function runMigrations(url: string, log: (msg: string) => void = () => undefined): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url, 2), migrationsTransactionMode: 'each' });
  await ds.initialize();
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      for (const m of ran) log(`migration ${m.name} applied`);
      return ran.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
