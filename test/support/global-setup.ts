import Redis from 'ioredis';
import { ensureDatabase } from '../../src/core/database/ensure-database';
import { runMigrations } from '../../src/core/database/migrate';
import { redisOptionsFromUrl } from '../../src/core/redis/redis-url';
import { buildDist } from './build-once';
import { newRunId, RUN_ENV_FILE_VAR, testDbUrl, testRedisUrl } from './run-env';

/**
 * One database and one Redis key prefix per `npm test` run, so concurrent runs (and the
 * service a developer has running) never see each other. Migrations run once here.
 */
export default async function globalSetup(): Promise<void> {
  const runId = newRunId();
  const dbUrl = testDbUrl(runId);
  const redis = new Redis({
    ...redisOptionsFromUrl(testRedisUrl()),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new Error(`Tests need Redis at ${testRedisUrl()}: ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
  try {
    await ensureDatabase(dbUrl);
    await runMigrations(dbUrl);
  } catch (e) {
    throw new Error(`Tests need PostgreSQL (${dbUrl}): ${(e as Error).message}`);
  }
  // Child-process tests (worker kill, restarts) run dist/; build it once per run.
  if (process.env.FLOWGATE_SKIP_BUILD !== '1') buildDist();
  process.env[RUN_ENV_FILE_VAR] = runId;
  process.env.DATABASE_URL = dbUrl;
  process.env.REDIS_URL = testRedisUrl();
  process.env.QUEUE_PREFIX = `fgt-${runId}`;
}
