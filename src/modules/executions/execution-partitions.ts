import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

const DAY_MS = 24 * 3600 * 1000;
/** Serialises partition DDL across workers (ensure and retention, every replica). */
const LOCK_KEY = 'flowgate:executions-partitions';
/** The DEFAULT partition (created by migration 1763750000000): rows of days without a partition. */
export const DEFAULT_PARTITION = 'executions_default';
const DAILY_NAME = /^executions_p(\d{4})(\d{2})(\d{2})$/;
/** DDL waits this long for its lock, then gives up (the next tick tries again) rather than queue traffic behind it. */
const LOCK_TIMEOUT = '5s';
const LOCK_ATTEMPTS = 3;

/** The UTC midnight at or before `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `executions_pYYYYMMDD` of the UTC day starting at `dayStart`: the only way a partition identifier is built. */
export function dailyPartitionName(dayStart: number): string {
  return `executions_p${new Date(dayStart).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The day start a daily partition's name stands for, or null for any other name. */
export function dayOfPartition(name: string): number | null {
  const m = DAILY_NAME.exec(name);
  if (!m) return null;
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dailyPartitionName(day) === name ? day : null;
}

export interface EnsureReport {
  /** Partitions created by this call. */
  created: string[];
  /** Rows moved out of the DEFAULT partition into them. */
  moved: number;
}

export interface RetentionReport {
  /** Daily partitions detached and dropped (whole days older than the cutoff). */
  droppedPartitions: number;
  /** Rows older than the cutoff deleted from the DEFAULT partition (rare path: days that had no partition). */
  deleted: number;
}

/**
 * `executions` is partitioned by RANGE (received_at), one partition per UTC day
 * (`executions_pYYYYMMDD`, [day, day + 1)), plus DEFAULT. This class keeps the days ahead
 * created and drops the days past retention. Every DDL runs in its own short transaction under
 * one transaction-level advisory lock, so two workers never race on the same partition.
 */
@Injectable()
export class ExecutionPartitions {
  private readonly logger = new Logger(ExecutionPartitions.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates the daily partitions from today to today + `aheadDays` (UTC) that are missing.
   * Rows of such a day already in DEFAULT (inserted while the day had no partition) move
   * into the new partition in the same transaction. Idempotent.
   */
  async ensure(aheadDays: number, now = Date.now()): Promise<EnsureReport> {
    const report: EnsureReport = { created: [], moved: 0 };
    if (!(await this.isPartitioned())) return report;
    const today = utcDayStart(now);
    const wanted = Array.from({ length: aheadDays + 1 }, (_, i) => today + i * DAY_MS);
    const existing = new Set(await this.existing(wanted.map(dailyPartitionName)));
    for (const day of wanted) {
      if (existing.has(dailyPartitionName(day))) continue;
      const moved = await this.createDay(day);
      if (moved === null) continue;
      report.created.push(dailyPartitionName(day));
      report.moved += moved;
    }
    if (report.created.length) {
      this.logger.log(`Created execution partition(s) ${report.created.join(', ')} (${report.moved} row(s) moved from DEFAULT)`);
    }
    return report;
  }

  /**
   * Retention: detaches and drops every daily partition whose upper bound is at or before
   * `cutoff` (whole days: rows of the day the cutoff falls in stay until that day is entirely
   * past), then deletes rows older than `cutoff` left in DEFAULT, in batches.
   */
  async dropBefore(cutoff: Date, batchSize = 5000): Promise<RetentionReport> {
    const report: RetentionReport = { droppedPartitions: 0, deleted: 0 };
    if (!(await this.isPartitioned())) return report;
    for (const name of await this.partitions()) {
      const day = dayOfPartition(name);
      if (day === null || day + DAY_MS > cutoff.getTime()) continue;
      if (await this.dropDay(day)) report.droppedPartitions++;
    }
    report.deleted = await this.deleteFromDefault(cutoff, batchSize);
    return report;
  }

  /** Names of the partitions of `executions`, in no particular order. */
  async partitions(): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = to_regclass('executions')`,
    );
    return rows.map((r) => r.name);
  }

  private async isPartitioned(): Promise<boolean> {
    const rows: Array<{ kind: string }> = await this.dataSource.query(
      `SELECT relkind::text AS kind FROM pg_class WHERE oid = to_regclass('executions')`,
    );
    return rows[0]?.kind === 'p';
  }

  private async existing(names: string[]): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = to_regclass('executions') AND c.relname = ANY($1::text[])`,
      [names],
    );
    return rows.map((r) => r.name);
  }

  /**
   * One day's partition, built beside the table and attached (ATTACH takes only a SHARE UPDATE
   * EXCLUSIVE lock on `executions`, so reads and writes go on): rows of that day in DEFAULT
   * move into it first, else ATTACH would refuse. Returns the rows moved, or null when another
   * worker created it meanwhile.
   */
  private createDay(day: number): Promise<number | null> {
    const name = dailyPartitionName(day);
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    return this.locked(async (m) => {
      const [{ present }] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = 'executions'::regclass AND c.relname = $1) AS present`,
        [name],
      );
      if (present) return null;
      await m.query(`CREATE TABLE ${name} (LIKE executions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      const [{ moved }]: Array<{ moved: number }> = await m.query(
        `WITH gone AS (DELETE FROM ${DEFAULT_PARTITION} WHERE received_at >= $1 AND received_at < $2 RETURNING *),
              kept AS (INSERT INTO ${name} SELECT * FROM gone RETURNING 1)
         SELECT count(*)::int AS moved FROM kept`,
        [from, to],
      );
      await m.query(`ALTER TABLE executions ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
      return moved;
    });
  }

  /** Detach + drop one day (true), or false when it is already gone. */
  private dropDay(day: number): Promise<boolean> {
    const name = dailyPartitionName(day);
    return this.locked(async (m) => {
      const [{ present }] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = 'executions'::regclass AND c.relname = $1) AS present`,
        [name],
      );
      if (!present) return false;
      await m.query(`ALTER TABLE executions DETACH PARTITION ${name}`);
      await m.query(`DROP TABLE ${name}`);
      return true;
    });
  }

  private async deleteFromDefault(cutoff: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const res: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM ${DEFAULT_PARTITION} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${DEFAULT_PARTITION} WHERE received_at < $1 LIMIT $2))`,
        [cutoff, batchSize],
      );
      total += res[1];
      if (res[1] < batchSize) return total;
    }
  }

  /** `work` in a transaction holding the partition lock, with a short lock_timeout; retried on lock timeouts. */
  private async locked<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (m) => {
          // Another worker doing the same waits here first (no timeout), then re-checks.
          await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LOCK_KEY]);
          await m.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
          return work(m);
        });
      } catch (e) {
        // 55P03 lock_not_available: busy table; back off and try again a few times.
        if ((e as { code?: string }).code !== '55P03' || attempt >= LOCK_ATTEMPTS) throw e;
        this.logger.warn(`Partition DDL waited too long for a lock (attempt ${attempt}/${LOCK_ATTEMPTS})`);
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  }
}
