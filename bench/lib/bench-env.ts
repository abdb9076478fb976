import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { dropDatabase, ensureDatabase } from '../../src/core/database/ensure-database';
import { runMigrations } from '../../src/core/database/migrate';

/** A throwaway database and Redis prefix for one benchmark, removed afterwards. */
export async function benchEnv(tag: string) {
  const id = `${tag}_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const base = new URL(process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/flowgate_bench_${id}`;
  const databaseUrl = base.toString();
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `fgb-${id}`;
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  return {
    databaseUrl,
    redisUrl,
    prefix,
    async cleanup() {
      await dropDatabase(databaseUrl).catch(() => undefined);
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.unlink(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
