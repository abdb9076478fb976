import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Digests of Nango webhook deliveries already handled (system table: not tenant data). */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async seen(digest: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM nango_webhook_deliveries WHERE digest = $1`, [digest]);
    return rows.length > 0;
  }

  async record(digest: string, type: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO nango_webhook_deliveries (digest, type) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING`, [digest, type.slice(0, 50)]);
  }

  async pruneOlderThan(before: Date): Promise<number> {
    const [, count] = await this.dataSource.query(`DELETE FROM nango_webhook_deliveries WHERE received_at < $1`, [before]);
    return Number(count ?? 0);
  }
}
