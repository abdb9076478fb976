import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Not, Repository } from 'typeorm';
import { CredentialEntity } from './entities/credential.entity';

const UNIQUE_VIOLATION = '23505';

export class DuplicateCredentialNameError extends Error {}

/** Credentials. Every tenant-facing method takes the tenant id; rotation is the one cross-tenant sweep (admin only). */
@Injectable()
export class CredentialsRepository {
  constructor(@InjectRepository(CredentialEntity) private readonly repo: Repository<CredentialEntity>) {}

  /** The same methods inside the caller's transaction (the change and its audit row commit together). */
  withManager(manager: EntityManager): CredentialsRepository {
    return new CredentialsRepository(manager.getRepository(CredentialEntity));
  }

  findInTenant(tenantId: string, id: string): Promise<CredentialEntity | null> {
    return this.repo.findOne({ where: { tenantId, id } });
  }

  listInTenant(tenantId: string, connectorKey?: string): Promise<CredentialEntity[]> {
    return this.repo.find({ where: connectorKey ? { tenantId, connectorKey } : { tenantId }, order: { name: 'ASC' } });
  }

  async insert(row: Omit<CredentialEntity, 'createdAt' | 'updatedAt'>): Promise<CredentialEntity> {
    try {
      await this.repo.insert(row);
    } catch (e) {
      throw translate(e);
    }
    return (await this.findInTenant(row.tenantId, row.id))!;
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<Pick<CredentialEntity, 'name' | 'authKind' | 'ciphertext' | 'keyId' | 'hint' | 'allowedHosts'>>,
  ): Promise<void> {
    try {
      await this.repo.update({ tenantId, id }, changes);
    } catch (e) {
      throw translate(e);
    }
  }

  async recordTest(tenantId: string, id: string, ok: boolean, detail: string): Promise<void> {
    await this.repo.update({ tenantId, id }, { lastTestedAt: new Date(), lastTestOk: ok, lastTestDetail: detail.slice(0, 500) });
  }

  /** New secrets: the last test result no longer says anything about them. */
  async clearTest(tenantId: string, id: string): Promise<void> {
    await this.repo.update({ tenantId, id }, { lastTestedAt: null, lastTestOk: null, lastTestDetail: null });
  }

  async deleteInTenant(tenantId: string, id: string): Promise<boolean> {
    const res = await this.repo.delete({ tenantId, id });
    return (res.affected ?? 0) > 0;
  }

  /**
   * Workflows of this tenant with a step using this credential (steps are a flat array in
   * `workflows.steps`), by name; at most `limit`.
   */
  workflowsUsing(tenantId: string, credentialId: string, limit: number): Promise<Array<{ id: string; name: string }>> {
    return this.repo.query(`SELECT id, name FROM workflows WHERE tenant_id = $1 AND steps @> $2::jsonb ORDER BY name, id LIMIT $3`, [
      tenantId,
      JSON.stringify([{ credentialId }]),
      limit,
    ]);
  }

  /** Rotation sweep (admin): a page of rows sealed with another key than `currentKeyId`. */
  sealedWithOtherKey(currentKeyId: string, afterId: string | null, limit: number): Promise<CredentialEntity[]> {
    const qb = this.repo
      .createQueryBuilder('c')
      .where({ keyId: Not(currentKeyId) })
      .orderBy('c.id', 'ASC')
      .take(limit);
    if (afterId) qb.andWhere('c.id > :afterId', { afterId });
    return qb.getMany();
  }

  /** Rotation only: swaps the ciphertext if nobody changed the row meanwhile. */
  async reseal(row: CredentialEntity, ciphertext: string, keyId: string): Promise<boolean> {
    const res = await this.repo.update({ id: row.id, tenantId: row.tenantId, ciphertext: row.ciphertext }, { ciphertext, keyId });
    return (res.affected ?? 0) > 0;
  }
}

function translate(e: unknown): unknown {
  const err = e as { driverError?: { code?: string; constraint?: string }; code?: string };
  const code = err.driverError?.code ?? err.code;
  if (code === UNIQUE_VIOLATION) return new DuplicateCredentialNameError();
  return e;
}
