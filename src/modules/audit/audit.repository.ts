import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEntryEntity } from './entities/audit-entry.entity';

export type AuditRow = Omit<AuditEntryEntity, 'id' | 'occurredAt'>;

/** The audit log's table. Inserts only: rows are never updated (a trigger refuses it). */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEntryEntity) private readonly repo: Repository<AuditEntryEntity>) {}

  /** Inserts through `manager` when given: the row commits or rolls back with the change it records. */
  async insert(row: AuditRow, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEntryEntity) : this.repo;
    await repo.insert(row as QueryDeepPartialEntity<AuditEntryEntity>);
  }
}
