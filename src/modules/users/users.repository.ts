import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Role } from '../../core/security/auth-user';
import { UserEntity } from './entities/user.entity';

/** Users. Every read by id is scoped by tenant; only login looks a user up by email alone. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findByIdInTenant(tenantId: string, id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repoOf(manager).findOne({ where: { tenantId, id } });
  }

  listInTenant(tenantId: string): Promise<UserEntity[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  /** For login only: returns the hash too. */
  findForLogin(email: string): Promise<UserEntity | null> {
    return this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  emailExists(email: string): Promise<boolean> {
    return this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getExists();
  }

  create(
    data: { tenantId: string; email: string; passwordHash: string; role: Role },
    manager?: EntityManager,
  ): Promise<UserEntity> {
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

  async touchLogin(id: string): Promise<void> {
    await this.repo.update({ id }, { lastLoginAt: new Date() });
  }
}
