import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Nango webhook deliveries already applied, by key (see NangoWebhookService for what the key
 * covers). System table: not tenant data.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether `key` was applied less than `windowMs` ago. */
  async appliedWithin(key: string, windowMs: number): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM nango_webhook_deliveries WHERE digest = $1 AND received_at > now() - make_interval(secs => $2)`,
      [key, windowMs / 1000],
    );
    return rows.length > 0;
  }

  async record(key: string, type: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO nango_webhook_deliveries (digest, type) VALUES ($1, $2) ON CONFLICT (digest) DO UPDATE SET received_at = now(), type = EXCLUDED.type`,
      [key, type.slice(0, 50)],
    );
  }

  async pruneOlderThan(before: Date): Promise<number> {
    const [, count] = await this.dataSource.query(`DELETE FROM nango_webhook_deliveries WHERE received_at < $1`, [before]);
    return Number(count ?? 0);
  }
}
