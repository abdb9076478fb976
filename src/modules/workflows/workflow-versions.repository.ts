import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { WorkflowVersionEntity } from './entities/workflow-version.entity';
import { WorkflowEntity } from './entities/workflow.entity';

/** A version as listed: no definition, just who saved which version when. */
export type WorkflowVersionHead = Pick<WorkflowVersionEntity, 'version' | 'name' | 'createdBy' | 'createdAt'>;

/**
 * The saved definitions of workflows. Every query names the tenant: another tenant's workflow
 * has no versions here, whatever its id. Rows are only inserted (in the transaction of the save
 * that made them) and go with their workflow (ON DELETE CASCADE).
 */
@Injectable()
export class WorkflowVersionsRepository {
  constructor(@InjectRepository(WorkflowVersionEntity) private readonly repo: Repository<WorkflowVersionEntity>) {}

  /** The same methods inside a transaction. */
  withManager(manager: EntityManager): WorkflowVersionsRepository {
    return new WorkflowVersionsRepository(manager.getRepository(WorkflowVersionEntity));
  }

  /** Keeps the workflow's definition as it now is, under its current version number. */
  async snapshot(w: WorkflowEntity, createdBy: string | null): Promise<void> {
    await this.repo.insert({
      workflowId: w.id,
      version: w.version,
      tenantId: w.tenantId,
      name: w.name,
      description: w.description,
      active: w.active,
      trigger: w.trigger,
      steps: w.steps,
      settings: w.settings,
      errorWorkflowId: w.errorWorkflowId ?? null,
      createdBy,
      // jsonb columns hold free-form params, which TypeORM's deep-partial type cannot express
    } as QueryDeepPartialEntity<WorkflowVersionEntity>);
  }

  async list(
    tenantId: string,
    workflowId: string,
    opts: { page: number; limit: number },
  ): Promise<{ items: WorkflowVersionHead[]; total: number }> {
    const [items, total] = await this.repo.findAndCount({
      select: { version: true, name: true, createdBy: true, createdAt: true },
      where: { tenantId, workflowId },
      order: { version: 'DESC' },
      skip: (opts.page - 1) * opts.limit,
      take: opts.limit,
    });
    return { items, total };
  }

  find(tenantId: string, workflowId: string, version: number): Promise<WorkflowVersionEntity | null> {
    return this.repo.findOne({ where: { tenantId, workflowId, version } });
  }
}
