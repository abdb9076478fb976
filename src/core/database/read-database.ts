import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';
import { describeDatabaseUrl } from './database-url';

/**
 * Where read-only queries of the logs go (GET /api/logs, /api/executions, workflow stats):
 * DATABASE_READ_URL, typically a streaming replica, so browsing history takes no connections
 * or I/O from the primary that records runs. Unset: the primary's own connection pool.
 *
 * Only reads that tolerate replica lag come here: a run that finished a moment ago may show a
 * moment later (as still queued or running) on a lagging replica. Writes, and reads that decide
 * a write, always use the primary.
 *
 * The replica's pool opens on first use and is retried on the next query after a failure, so
 * a replica that is away at start delays nothing but the reads that need it.
 */
@Injectable()
export class ReadDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadDatabase.name);
  private replica?: DataSource;
  private opening?: Promise<DataSource>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly primary: DataSource,
  ) {}

  /** Whether reads go to a database of their own (DATABASE_READ_URL set). */
  get separate(): boolean {
    return this.config.readDatabase.url !== undefined;
  }

  /** Runs a read-only statement on the read connection; rows as TypeORM's `query` returns them. */
  async query<T = unknown>(sql: string, params?: unknown[]): Promise<T> {
    const ds = this.separate ? await this.open() : this.primary;
    return ds.query(sql, params) as Promise<T>;
  }

  private open(): Promise<DataSource> {
    if (this.replica?.isInitialized) return Promise.resolve(this.replica);
    if (!this.opening) {
      const url = this.config.readDatabase.url!;
      const ds = new DataSource({ ...dataSourceOptions(url, this.config.database.poolSize), migrations: [] });
      this.opening = ds.initialize().then(
        (opened) => {
          this.replica = opened;
          this.logger.log(`Read queries of the logs go to ${describeDatabaseUrl(url)}`);
          return opened;
        },
        (e: Error) => {
          this.opening = undefined;
          throw e;
        },
      );
    }
    return this.opening;
  }

  async onApplicationShutdown(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    const ds = await opening?.catch(() => undefined);
    if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
  }
}
