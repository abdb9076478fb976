import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { Role } from '../../core/security/auth-user';
import { UserEntity } from '../users';
import { InvitationEntity } from './entities/invitation.entity';

/** Invitations. Every read and change by id is scoped by tenant; only accept finds one by its token's hash. */
@Injectable()
export class InvitationsRepository {
  constructor(@InjectRepository(InvitationEntity) private readonly repo: Repository<InvitationEntity>) {}

  listInTenant(tenantId: string): Promise<InvitationEntity[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Locks the row for the rest of the caller's transaction (revoke). */
  findInTenantForUpdate(m: EntityManager, tenantId: string, id: string): Promise<InvitationEntity | null> {
    return m.getRepository(InvitationEntity).findOne({ where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
  }

  findByTokenHash(tokenHash: string): Promise<InvitationEntity | null> {
    return this.repo.findOne({ where: { tokenHash } });
  }

  /** Locks the row: two accepts of one token are decided one after the other. */
  findByTokenHashForUpdate(m: EntityManager, tokenHash: string): Promise<InvitationEntity | null> {
    return m.getRepository(InvitationEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Serialises invitation changes for one email in one tenant until the transaction ends, so
   * two invitations racing for the same email leave exactly one pending.
   */
  async lockEmail(m: EntityManager, tenantId: string, email: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('flowgate:invite:' || $1 || ':' || lower($2)))`, [tenantId, email]);
  }

  /** Pending (neither used, revoked nor expired) invitations of this email in this tenant. */
  findPendingForEmail(m: EntityManager, tenantId: string, email: string, now: Date): Promise<InvitationEntity[]> {
    return m
      .getRepository(InvitationEntity)
      .createQueryBuilder('i')
      .where('i.tenantId = :tenantId AND lower(i.email) = lower(:email)', { tenantId, email })
      .andWhere('i.acceptedAt IS NULL AND i.revokedAt IS NULL AND i.expiresAt > :now', { now })
      .getMany();
  }

  async create(
    m: EntityManager,
    data: { tenantId: string; email: string; role: Role; tokenHash: string; invitedBy: string | null; expiresAt: Date },
  ): Promise<InvitationEntity> {
    const repo = m.getRepository(InvitationEntity);
    const saved = await repo.save(repo.create(data));
    return (await repo.findOneOrFail({ where: { id: saved.id, tenantId: data.tenantId } })) as InvitationEntity;
  }

  async revoke(m: EntityManager, tenantId: string, id: string, at: Date): Promise<void> {
    await m.getRepository(InvitationEntity).update({ tenantId, id, acceptedAt: IsNull(), revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Marks it used; true only for the one caller that found it unused (the row is locked as well). */
  async markAccepted(m: EntityManager, tenantId: string, id: string, userId: string, at: Date): Promise<boolean> {
    const res = await m
      .getRepository(InvitationEntity)
      .update({ tenantId, id, acceptedAt: IsNull(), revokedAt: IsNull() }, { acceptedAt: at, acceptedUserId: userId });
    return (res.affected ?? 0) > 0;
  }

  /**
   * The password hash of a signed-in caller's own account (its tenant and id from the verified
   * JWT), for a membership that signs in with the same password. Read here because the users
   * repository exposes hashes only to login.
   */
  async passwordHashOf(tenantId: string, userId: string): Promise<string | null> {
    const user = await this.repo.manager
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.tenantId = :tenantId AND u.id = :userId', { tenantId, userId })
      .getOne();
    return user?.passwordHash ?? null;
  }
}
