import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEntryEntity } from './entities/audit-entry.entity';

export type AuditRow = Omit<AuditEntryEntity, 'id' | 'occurredAt'>;

/** What a list reads. `tenantId`: one tenant's rows; `undefined` (operator view only): every row. */
export interface AuditFilter {
  tenantId?: string;
  actorId?: string;
  /** Exact action, or `prefix` (without the `*`) when it ends with `.*`. */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** Rows deleted per statement by the retention job (short statements, no long lock). */
const PRUNE_BATCH = 5000;

/** The audit log's table. Inserts only: rows are never updated (a trigger refuses it). */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntryEntity) private readonly repo: Repository<AuditEntryEntity>) {}

  /** Inserts through `manager` when given: the row commits or rolls back with the change it records. */
  async insert(row: AuditRow, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEntryEntity) : this.repo;
    await repo.insert(row as QueryDeepPartialEntity<AuditEntryEntity>);
  }

  /** Newest first (by id), rows with an id below `beforeId` when given; at most `limit`. */
  list(filter: AuditFilter, limit: number, beforeId?: string): Promise<AuditEntryEntity[]> {
    const q = this.repo.createQueryBuilder('a').orderBy('a.id', 'DESC').limit(limit);
    if (filter.tenantId !== undefined) q.andWhere('a.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.actorId !== undefined) q.andWhere('a.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.action !== undefined) {
      if (filter.action.endsWith('.*')) {
        // A prefix: `credential.*` matches `credential.update`. LIKE's wildcards cannot occur (the filter allows [a-z0-9_.]; `_` is escaped).
        const prefix = filter.action.slice(0, -1).replace(/_/g, '\\_');
        q.andWhere(`a.action LIKE :prefix ESCAPE '\\'`, { prefix: `${prefix}%` });
      } else q.andWhere('a.action = :action', { action: filter.action });
    }
    if (filter.targetType !== undefined) q.andWhere('a.target_type = :targetType', { targetType: filter.targetType });
    if (filter.targetId !== undefined) q.andWhere('a.target_id = :targetId', { targetId: filter.targetId });
    if (filter.from) q.andWhere('a.occurred_at >= :from', { from: filter.from });
    if (filter.to) q.andWhere('a.occurred_at < :to', { to: filter.to });
    if (beforeId !== undefined) q.andWhere('a.id < :beforeId', { beforeId });
    return q.getMany();
  }

  /** Retention: deletes every row recorded before `cutoff`, in batches. Answers how many went. */
  async deleteBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.repo.query(
        `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE occurred_at < $1 ORDER BY id LIMIT $2)`,
        [cutoff, PRUNE_BATCH],
      );
      deleted += count;
      if (count < PRUNE_BATCH) return deleted;
    }
  }
}
