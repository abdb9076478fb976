import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { StepDefinition } from '../engine';
import { WEBHOOK_FRONTING_USE_CASES } from '../kong';
import { WorkflowEntity } from './entities/workflow.entity';
import { WorkflowSettings, WorkflowTrigger } from './workflow.types';

export interface WorkflowWrite {
  name: string;
  description: string | null;
  active: boolean;
  trigger: WorkflowTrigger;
  steps: StepDefinition[];
  settings: WorkflowSettings;
  /** The workflow run when a run of this one fails for good (failure alerts); null: none. */
  errorWorkflowId?: string | null;
}

/** A workflow's newest run (the list's "last run"). */
export interface WorkflowLastRun {
  executionId: string;
  status: string;
  receivedAt: string;
}

/** What the webhook path and the worker need, whatever tenant owns it. */
export interface WorkflowRuntimeRow extends WorkflowEntity {
  webhookSecret: string | null;
  /** The workflow's Kong deployments in front of its webhook, with their sealed secrets (empty: not behind Kong). */
  webhookFronts: Array<{ id: string; sealed: string | null }>;
}

@Injectable()
export class WorkflowsRepository {
  constructor(@InjectRepository(WorkflowEntity) private readonly repo: Repository<WorkflowEntity>) {}

  /** The same methods inside a transaction. */
  withManager(manager: EntityManager): WorkflowsRepository {
    return new WorkflowsRepository(manager.getRepository(WorkflowEntity));
  }

  async create(tenantId: string, id: string, data: WorkflowWrite, sealedSecret: string | null): Promise<WorkflowEntity> {
    // jsonb columns hold free-form params, which TypeORM's deep-partial type cannot express
    await this.repo.insert({ id, tenantId, ...data, webhookSecret: sealedSecret, version: 1 } as QueryDeepPartialEntity<WorkflowEntity>);
    return (await this.findInTenant(tenantId, id))!;
  }

  findInTenant(tenantId: string, id: string): Promise<WorkflowEntity | null> {
    return this.repo.findOne({ where: { tenantId, id } });
  }

  async list(
    tenantId: string,
    opts: { page: number; limit: number; active?: boolean },
  ): Promise<{ items: WorkflowEntity[]; total: number }> {
    const [items, total] = await this.repo.findAndCount({
      where: { tenantId, ...(opts.active === undefined ? {} : { active: opts.active }) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (opts.page - 1) * opts.limit,
      take: opts.limit,
    });
    return { items, total };
  }

  /**
   * Applies an edit and bumps the version in one statement. With `expectedVersion`, applies only
   * when the stored version still matches. Returns null when nothing matched.
   */
  async update(tenantId: string, id: string, patch: Partial<WorkflowWrite>, expectedVersion?: number): Promise<WorkflowEntity | null> {
    const qb = this.repo
      .createQueryBuilder()
      .update(WorkflowEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: () => 'now()' } as QueryDeepPartialEntity<WorkflowEntity>)
      .where('tenant_id = :tenantId AND id = :id', { tenantId, id });
    if (expectedVersion !== undefined) qb.andWhere('version = :expectedVersion', { expectedVersion });
    const res = await qb.execute();
    return res.affected ? this.findInTenant(tenantId, id) : null;
  }

  async setActive(tenantId: string, id: string, active: boolean): Promise<WorkflowEntity | null> {
    const res = await this.repo.update({ tenantId, id }, { active });
    return res.affected ? this.findInTenant(tenantId, id) : null;
  }

  async setSecret(tenantId: string, id: string, sealedSecret: string | null): Promise<boolean> {
    const res = await this.repo.update({ tenantId, id }, { webhookSecret: sealedSecret });
    return !!res.affected;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const res = await this.repo.delete({ tenantId, id });
    return !!res.affected;
  }

  /** Which of these workflows have a webhook secret (the secret itself is never selected here). */
  async idsWithSecret(tenantId: string, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: Array<{ id: string }> = await this.repo.query(
      `SELECT id FROM workflows WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND webhook_secret IS NOT NULL`,
      [tenantId, ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The newest run of each of these workflows, in one query: a LATERAL per id reads
   * executions_tenant_workflow_idx (tenant_id, workflow_id, received_at DESC) and stops at the
   * first row, whatever the number of daily partitions. Tenant-scoped on both tables.
   */
  async lastRuns(tenantId: string, ids: string[]): Promise<Map<string, WorkflowLastRun>> {
    if (!ids.length) return new Map();
    const rows: Array<{ workflow_id: string; id: string; status: string; received_at: Date }> = await this.repo.query(
      `SELECT w.id AS workflow_id, e.id, e.status, e.received_at
         FROM unnest($2::uuid[]) AS w(id)
         CROSS JOIN LATERAL (
           SELECT x.id, x.status, x.received_at
             FROM executions x
            WHERE x.tenant_id = $1 AND x.workflow_id = w.id
            ORDER BY x.received_at DESC, x.id DESC
            LIMIT 1
         ) e`,
      [tenantId, ids],
    );
    return new Map(
      rows.map((r) => [r.workflow_id, { executionId: r.id, status: r.status, receivedAt: new Date(r.received_at).toISOString() }]),
    );
  }

  /**
   * By id alone, with the sealed secret: for the public webhook path (the id is the only thing
   * the caller knows; the row says which tenant owns it) and for workers, which act for the
   * tenant named in the row. The same query brings the Kong deployments in front of the
   * webhook (same tenant), so the webhook path knows from its cached copy, with no query of
   * its own, whether a call must come through Kong.
   */
  async findForRuntime(id: string): Promise<WorkflowRuntimeRow | null> {
    const { entities, raw } = await this.repo
      .createQueryBuilder('w')
      .addSelect('w.webhookSecret')
      .addSelect(
        `(SELECT COALESCE(json_agg(json_build_object('id', d.id, 'sealed', d.secrets_ciphertext)), '[]'::json)
            FROM kong_deployments d
           WHERE d.workflow_id = w.id AND d.tenant_id = w.tenant_id AND d.use_case IN (:...fronting))`,
        'webhook_fronts',
      )
      .where('w.id = :id', { id })
      .setParameter('fronting', [...WEBHOOK_FRONTING_USE_CASES])
      .getRawAndEntities();
    if (!entities[0]) return null;
    return Object.assign(entities[0], {
      webhookFronts: (raw[0]?.webhook_fronts ?? []) as WorkflowRuntimeRow['webhookFronts'],
    }) as WorkflowRuntimeRow;
  }

  /**
   * Every active workflow whose trigger is of this type, across tenants (a trigger's
   * reconciliation). Served by the partial expression index on `(trigger->>'type')`.
   */
  listActiveByTriggerType(type: string): Promise<Array<Pick<WorkflowEntity, 'id' | 'tenantId' | 'active' | 'trigger' | 'settings'>>> {
    return this.repo
      .createQueryBuilder('w')
      .select(['w.id', 'w.tenantId', 'w.active', 'w.trigger', 'w.settings'])
      .where(`w.active AND (w.trigger->>'type') = :type`, { type })
      .getMany();
  }
}
