import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { TenantEntity } from './entities/tenant.entity';

@Injectable()
export class TenantsRepository {
  constructor(@InjectRepository(TenantEntity) private readonly repo: Repository<TenantEntity>) {}

  findById(id: string): Promise<TenantEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findDevTenant(): Promise<TenantEntity | null> {
    return this.repo.findOne({ where: { isDev: true } });
  }

  create(data: { name: string; slug: string; isDev?: boolean }, manager?: EntityManager): Promise<TenantEntity> {
    const repo = manager ? manager.getRepository(TenantEntity) : this.repo;
    return repo.save(repo.create(data));
  }

  /**
   * Serialises membership changes of one tenant: the caller's transaction holds the tenant
   * row until it commits, so rules that count members (the last owner) see every earlier change.
   * NO KEY UPDATE, so rows that merely reference the tenant (runs, workflows) are not held up.
   */
  async lockForMembershipChange(manager: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT id FROM tenants WHERE id = $1 FOR NO KEY UPDATE', [id]);
    return rows.length > 0;
  }

  count(): Promise<number> {
    return this.repo.count();
  }
}
