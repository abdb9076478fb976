import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { WorkflowSettings } from '../../workflows';
import { AMQP_TRIGGER_TYPE, AmqpTrigger } from './amqp-trigger';

export interface ActiveAmqpWorkflow {
  id: string;
  tenantId: string;
  trigger: AmqpTrigger;
  settings: WorkflowSettings;
  /** When the trigger's credential last changed (null: it no longer exists in the tenant). */
  credentialUpdatedAt: Date | null;
}

/**
 * Every active amqp workflow across tenants: the set the worker's consumers must match. The
 * credential's `updated_at` comes along (same tenant only), so a new broker URL or password
 * restarts the consumer without decrypting every credential on each pass.
 */
@Injectable()
export class ActiveAmqpWorkflows {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(): Promise<ActiveAmqpWorkflow[]> {
    const rows: Array<{
      id: string;
      tenant_id: string;
      trigger: AmqpTrigger;
      settings: WorkflowSettings;
      credential_updated_at: Date | null;
    }> = await this.dataSource.query(
      `SELECT w.id, w.tenant_id, w.trigger, w.settings, c.updated_at AS credential_updated_at
           FROM workflows w
           LEFT JOIN credentials c ON c.tenant_id = w.tenant_id AND c.id::text = (w.trigger->>'credentialId')
          WHERE w.active AND (w.trigger->>'type') = $1
          ORDER BY w.id`,
      [AMQP_TRIGGER_TYPE],
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      trigger: r.trigger,
      settings: r.settings,
      credentialUpdatedAt: r.credential_updated_at,
    }));
  }
}
