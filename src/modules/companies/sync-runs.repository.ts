import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, MoreThan, Repository } from 'typeorm';
import { SyncEntity, SyncRunEntity, SyncRunError, SyncRunStatus } from './entities/sync-run.entity';

@Injectable()
export class SyncRunsRepository {
  constructor(@InjectRepository(SyncRunEntity) private readonly repo: Repository<SyncRunEntity>) {}

  create(tenantId: string, companyId: string): Promise<SyncRunEntity> {
    return this.repo.save(this.repo.create({ tenantId, companyId, status: 'queued', counts: {}, errors: [] }));
  }

  findById(tenantId: string, id: string): Promise<SyncRunEntity | null> {
    return this.repo.findOne({ where: { tenantId, id } });
  }

  /** A queued or running run of this company started recently (a second request joins it). */
  findInProgress(tenantId: string, companyId: string, since: Date): Promise<SyncRunEntity | null> {
    return this.repo.findOne({
      where: { tenantId, companyId, status: In(['queued', 'running']), createdAt: MoreThan(since) },
      order: { createdAt: 'DESC' },
    });
  }

  async markRunning(tenantId: string, id: string): Promise<void> {
    await this.repo.update({ tenantId, id }, { status: 'running', startedAt: new Date(), errors: [], counts: {} });
  }

  async finish(
    tenantId: string,
    id: string,
    status: SyncRunStatus,
    counts: Partial<Record<SyncEntity, number>>,
    errors: SyncRunError[],
  ): Promise<void> {
    await this.repo.update({ tenantId, id }, { status, counts, errors, finishedAt: new Date() });
  }

  async list(tenantId: string, companyId: string, offset: number, limit: number): Promise<[SyncRunEntity[], number]> {
    return this.repo.findAndCount({ where: { tenantId, companyId }, order: { createdAt: 'DESC', id: 'ASC' }, skip: offset, take: limit });
  }

  /** System (daily cleanup): drops finished runs older than `before`. */
  async pruneOlderThan(before: Date): Promise<number> {
    const res = await this.repo.delete({ createdAt: LessThan(before), status: In(['succeeded', 'partial', 'failed']) });
    return res.affected ?? 0;
  }
}
