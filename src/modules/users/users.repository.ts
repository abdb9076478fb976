import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Role } from '../../core/security/auth-user';
import { UserEntity } from './entities/user.entity';

/**
 * At most this many accounts are tried for one login email (oldest first): each costs an
 * argon2 verification, and accounts added to other tenants later cannot push the original out.
 */
export const MAX_LOGIN_CANDIDATES = 20;

/** Users. Every read by id is scoped by tenant; only login (and register's "already signed up?") look an email up across tenants. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findByIdInTenant(tenantId: string, id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repoOf(manager).findOne({ where: { tenantId, id } });
  }

  listInTenant(tenantId: string): Promise<UserEntity[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  /**
   * For login only: every account with this email (an email is unique per tenant, not
   * globally), with the hash, oldest first; `tenantSlug` narrows it to one tenant.
   */
  findLoginCandidates(email: string, tenantSlug?: string): Promise<UserEntity[]> {
    const q = this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .orderBy('u.createdAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(MAX_LOGIN_CANDIDATES);
    if (tenantSlug !== undefined) q.innerJoin('tenants', 't', 't.id = u.tenant_id').andWhere('t.slug = :slug', { slug: tenantSlug });
    return q.getMany();
  }

  findInTenantByEmail(tenantId: string, email: string): Promise<UserEntity | null> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.tenantId = :tenantId AND lower(u.email) = lower(:email)', { tenantId, email })
      .getOne();
  }

  emailExists(email: string, manager?: EntityManager): Promise<boolean> {
    return this.repoOf(manager).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getExists();
  }

  emailInTenant(tenantId: string, email: string): Promise<boolean> {
    return this.repo
      .createQueryBuilder('u')
      .where('u.tenantId = :tenantId AND lower(u.email) = lower(:email)', { tenantId, email })
      .getExists();
  }

  create(data: { tenantId: string; email: string; passwordHash: string; role: Role }, manager?: EntityManager): Promise<UserEntity> {
    const repo = manager ? manager.getRepository(UserEntity) : this.repo;
    return repo.save(repo.create(data));
  }

  async updateRole(tenantId: string, id: string, role: Role, manager?: EntityManager): Promise<boolean> {
    const res = await this.repoOf(manager).update({ tenantId, id }, { role });
    return (res.affected ?? 0) > 0;
  }

  async remove(tenantId: string, id: string, manager?: EntityManager): Promise<boolean> {
    const res = await this.repoOf(manager).delete({ tenantId, id });
    return (res.affected ?? 0) > 0;
  }

  countOwners(tenantId: string, manager?: EntityManager): Promise<number> {
    return this.repoOf(manager).count({ where: { tenantId, role: 'owner' } });
  }

  private repoOf(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.repo;
  }

  async touchLogin(id: string, manager?: EntityManager): Promise<void> {
    await this.repoOf(manager).update({ id }, { lastLoginAt: new Date() });
  }
}
