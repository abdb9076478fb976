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

  count(): Promise<number> {
    return this.repo.count();
  }
}
