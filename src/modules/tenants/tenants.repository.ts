import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
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

  /**
   * A slug no tenant has yet: `base` and a random suffix, drawn again while it is taken. Many
   * tenants share a name ("Acme"), and a short suffix alone collided (a unique violation that
   * registration reported as "email taken"; seen in CI with thousands of same-named tenants).
   */
  async freeSlug(base: string, manager?: EntityManager): Promise<string> {
    const repo = manager ? manager.getRepository(TenantEntity) : this.repo;
    for (;;) {
      const slug = `${base}-${randomBytes(4).toString('hex')}`;
      if (!(await repo.exists({ where: { slug } }))) return slug;
    }
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
