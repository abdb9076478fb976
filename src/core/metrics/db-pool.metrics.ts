import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { MetricsService } from './metrics.service';

/**
 * PostgreSQL connection pool of this process (TypeORM's pg pool), read at scrape time: no
 * work on the query path. Waiting clients above zero mean queries queue for a connection
 * (DATABASE_POOL_SIZE too small, or slow queries holding connections).
 */
@Injectable()
export class DatabasePoolMetrics {
  constructor(metrics: MetricsService, dataSource: DataSource) {
    // TypeORM's Postgres driver keeps its pg.Pool as `master` (undefined until connected).
    const pool = () => (dataSource.driver as unknown as { master?: Pool }).master;
    metrics.gauge(
      'flowgate_db_pool_connections',
      'Open PostgreSQL connections in this process (idle and in use)',
      () => pool()?.totalCount,
    );
    metrics.gauge('flowgate_db_pool_idle_connections', 'Open PostgreSQL connections not in use', () => pool()?.idleCount);
    metrics.gauge('flowgate_db_pool_waiting_clients', 'Queries waiting for a free PostgreSQL connection', () => pool()?.waitingCount);
    metrics.gauge(
      'flowgate_db_pool_max_connections',
      'Largest number of PostgreSQL connections this process opens (DATABASE_POOL_SIZE)',
      () => pool()?.options.max,
    );
  }
}
