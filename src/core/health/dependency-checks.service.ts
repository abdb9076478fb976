import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-client.factory';
import { DataSource } from 'typeorm';
import { withDeadline } from '../async/deadline';
import { REDIS } from '../redis/redis.module';
import { ReadDatabase } from '../database/read-database';

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export type DependencyCheck = () => Promise<void>;

export interface RequiredDependencies {
  database: DependencyStatus;
  redis: DependencyStatus;
  /** The logs' read database, when DATABASE_READ_URL sets one apart: reported, not required. */
  readDatabase?: DependencyStatus;
}

/**
 * Pings each dependency with a short timeout. Readiness uses the required ones (PostgreSQL,
 * Redis); features may add optional ones (Nango, Kong) for the detailed and admin views.
 */
@Injectable()
export class DependencyChecksService {
  private readonly optional = new Map<string, DependencyCheck>();
  private lastAll?: { at: number; result: Promise<Record<string, DependencyStatus>> };

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly reader: ReadDatabase,
  ) {}

  /** Adds an optional dependency that is reported but does not decide readiness. */
  registerOptional(name: string, check: DependencyCheck): void {
    this.optional.set(name, check);
  }

  /** The dependencies readiness needs. */
  async required(timeoutMs = 1500): Promise<RequiredDependencies> {
    const [database, redis, readDatabase] = await Promise.all([
      this.measure(() => this.dataSource.query('SELECT 1'), timeoutMs, 'PostgreSQL'),
      this.measure(() => this.redis.ping(), timeoutMs, 'Redis'),
      this.reader.separate ? this.measure(() => this.reader.query('SELECT 1'), timeoutMs, 'The read database') : undefined,
    ]);
    return readDatabase ? { database, redis, readDatabase } : { database, redis };
  }

  async all(timeoutMs = 1500): Promise<Record<string, DependencyStatus>> {
    const required = await this.required(timeoutMs);
    const optional = await Promise.all(
      [...this.optional].map(async ([name, check]) => [name, await this.measure(check, timeoutMs, name)] as const),
    );
    return { ...required, ...Object.fromEntries(optional) };
  }

  /**
   * all(), reused while younger than `maxAgeMs`: a detailed health view polled often (or by many
   * callers at once, who share one round) asks Nango and Kong at most once per period.
   */
  allCached(maxAgeMs: number): Promise<Record<string, DependencyStatus>> {
    const now = Date.now();
    if (this.lastAll && now - this.lastAll.at < maxAgeMs) return this.lastAll.result;
    const result = this.all(); // never rejects: each check reports its own failure
    this.lastAll = { at: now, result };
    return result;
  }

  private async measure(fn: () => Promise<unknown>, timeoutMs: number, what: string): Promise<DependencyStatus> {
    const start = performance.now();
    try {
      if (what === 'PostgreSQL' && !this.dataSource.isInitialized) throw new Error('PostgreSQL connection not initialized');
      await withDeadline(fn(), timeoutMs, `${what} did not answer within ${timeoutMs} ms`);
      return { status: 'up', latencyMs: round(performance.now() - start) };
    } catch (e) {
      return { status: 'down', latencyMs: round(performance.now() - start), error: (e as Error).message?.slice(0, 200) };
    }
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
