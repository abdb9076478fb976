import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Not, Repository } from 'typeorm';
import { KongDeploymentEntity } from './entities/kong-deployment.entity';
import { TENANT_CONSUMER_USE_CASES, UseCase, WEBHOOK_FRONTING_USE_CASES } from './patterns';

@Injectable()
export class KongDeploymentsRepository {
  constructor(
    @InjectRepository(KongDeploymentEntity) private readonly repo: Repository<KongDeploymentEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  findForTenant(tenantId: string, id: string): Promise<KongDeploymentEntity | null> {
    return this.repo.findOne({ where: { tenantId, id } });
  }

  listForTenant(tenantId: string): Promise<KongDeploymentEntity[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  findByUseCase(tenantId: string, workflowId: string, useCase: UseCase): Promise<KongDeploymentEntity | null> {
    return this.repo.findOne({ where: { tenantId, workflowId, useCase } });
  }

  /**
   * Inserts a pending deployment unless one exists for (tenant, workflow, use case); two
   * concurrent applies therefore share one row. Returns the row and whether it is new.
   */
  async insertOrGet(
    tenantId: string,
    data: { workflowId: string; useCase: UseCase; options: Record<string, unknown>; mode: 'db' | 'dbless' },
  ): Promise<{ deployment: KongDeploymentEntity; created: boolean }> {
    const inserted: { id: string }[] = await this.repo.query(
      `INSERT INTO kong_deployments (tenant_id, workflow_id, use_case, options, mode, status)
       VALUES ($1, $2, $3, $4, $5, 'pending')
       ON CONFLICT ON CONSTRAINT kong_deployments_one_per_use_case DO NOTHING
       RETURNING id`,
      [tenantId, data.workflowId, data.useCase, JSON.stringify(data.options), data.mode],
    );
    const deployment = await this.findByUseCase(tenantId, data.workflowId, data.useCase);
    if (!deployment) throw new Error('kong deployment vanished right after insert');
    return { deployment, created: inserted.length > 0 };
  }

  async update(
    tenantId: string,
    id: string,
    patch: Partial<Pick<KongDeploymentEntity, 'options' | 'mode' | 'status' | 'lastError' | 'secretsCiphertext' | 'kongEntities'>>,
    manager?: EntityManager,
  ): Promise<void> {
    await this.repoOf(manager).update({ tenantId, id }, patch as Parameters<Repository<KongDeploymentEntity>['update']>[1]);
  }

  async deleteForTenant(tenantId: string, id: string, manager?: EntityManager): Promise<boolean> {
    const res = await this.repoOf(manager).delete({ tenantId, id });
    return (res.affected ?? 0) > 0;
  }

  /** Runs `fn` in one transaction (a deployment's final write and its audit row commit together). */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  private repoOf(manager?: EntityManager): Repository<KongDeploymentEntity> {
    return manager ? manager.getRepository(KongDeploymentEntity) : this.repo;
  }

  /** Other deployments of the tenant that use its Kong consumer (patterns with usesTenantConsumer). */
  countOtherConsumerUsers(tenantId: string, exceptId: string): Promise<number> {
    return this.repo.count({ where: { tenantId, useCase: In([...TENANT_CONSUMER_USE_CASES]), id: Not(exceptId) } });
  }

  /**
   * Every active deployment of every tenant. Only for rendering Kong's DB-less configuration,
   * which is one global document; nothing from it is ever returned to a tenant. Failed ones are
   * left out so one tenant's rejected deployment cannot block everybody's config.
   */
  listActiveForDeclarativeConfig(): Promise<KongDeploymentEntity[]> {
    return this.repo.find({ where: { status: 'active' }, order: { createdAt: 'ASC' } });
  }

  /** Every deployment (all tenants) of the patterns in front of a webhook: only for the start-up upgrade that gives them a gateway secret. */
  listWebhookFronts(): Promise<KongDeploymentEntity[]> {
    return this.repo.find({ where: { useCase: In([...WEBHOOK_FRONTING_USE_CASES]) }, order: { createdAt: 'ASC' } });
  }

  /**
   * Looks a deployment up by id alone, for requests that come through Kong (bridge, aggregate,
   * usage). The caller must then prove it came through that deployment (its gateway secret,
   * or the usage secret) before anything is revealed; the tenant comes from the row.
   */
  findForGateway(id: string): Promise<KongDeploymentEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  /**
   * Runs `fn` holding a PostgreSQL advisory lock (session level, on its own connection), so
   * applies of one deployment — or DB-less renders across replicas — never interleave.
   */
  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
      try {
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
      }
    } finally {
      await runner.release();
    }
  }
}
