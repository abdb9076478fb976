import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser, Role } from '../../core/security/auth-user';
import { AuditService, auditChanges } from '../audit';
import { PasswordService } from '../users';
import { UsersRepository } from '../users';
import { AddMemberDto, MemberDto, TenantDto } from './dto/tenant.dto';
import { TenantsRepository } from './tenants.repository';

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async current(actor: AuthUser): Promise<TenantDto> {
    const tenant = await this.tenants.findById(actor.tenantId);
    if (!tenant) throw AppException.notFound('Tenant');
    return TenantDto.from(tenant);
  }

  async members(actor: AuthUser): Promise<MemberDto[]> {
    return (await this.users.listInTenant(actor.tenantId)).map(MemberDto.from);
  }

  /**
   * Adds an account to this tenant. Only this tenant's members are looked at: an account with
   * the same email in another tenant is a different account, so the answer (201 or 409
   * MEMBER_EXISTS) and the work done are the same whether or not the email is known elsewhere.
   */
  async addMember(actor: AuthUser, dto: AddMemberDto): Promise<MemberDto> {
    this.assertMayGrant(actor, dto.role);
    if (await this.users.emailInTenant(actor.tenantId, dto.email)) throw this.alreadyMember();
    const passwordHash = await this.passwords.hash(dto.password);
    try {
      return await this.dataSource.transaction(async (m) => {
        const user = await this.users.create({ tenantId: actor.tenantId, email: dto.email, passwordHash, role: dto.role }, m);
        await this.audit.record(m, {
          tenantId: actor.tenantId,
          action: 'member.add',
          targetType: 'member',
          targetId: user.id,
          changes: auditChanges(null, { email: user.email, role: user.role }),
        });
        return MemberDto.from(user);
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw this.alreadyMember(); // added concurrently
      throw e;
    }
  }

  async changeRole(actor: AuthUser, userId: string, role: Role): Promise<MemberDto> {
    return this.underTenantLock(actor, async (m, current) => {
      const target = await this.users.findByIdInTenant(actor.tenantId, userId, m);
      if (!target) throw AppException.notFound('Member');
      this.assertMayManage(current, target.role);
      this.assertMayGrant(current, role);
      if (target.role === 'owner' && role !== 'owner') await this.assertNotLastOwner(actor.tenantId, m);
      await this.users.updateRole(actor.tenantId, userId, role, m);
      const changes = auditChanges({ role: target.role }, { role });
      if (changes)
        await this.audit.record(m, {
          tenantId: actor.tenantId,
          action: 'member.role_change',
          targetType: 'member',
          targetId: userId,
          changes,
        });
      return MemberDto.from({ ...target, role });
    });
  }

  async removeMember(actor: AuthUser, userId: string): Promise<void> {
    await this.underTenantLock(actor, async (m, current) => {
      const target = await this.users.findByIdInTenant(actor.tenantId, userId, m);
      if (!target) throw AppException.notFound('Member');
      this.assertMayManage(current, target.role);
      if (target.role === 'owner') await this.assertNotLastOwner(actor.tenantId, m);
      await this.users.remove(actor.tenantId, userId, m);
      await this.audit.record(m, {
        tenantId: actor.tenantId,
        action: 'member.remove',
        targetType: 'member',
        targetId: userId,
        changes: auditChanges({ email: target.email, role: target.role }, null),
      });
    });
  }

  /**
   * Runs a membership change while holding the tenant's row lock, so two owners demoting or
   * removing each other at the same moment are decided one after the other (the second sees
   * the first's change and gets LAST_OWNER). The actor's role is read again under the lock:
   * an owner demoted a moment ago no longer acts as one.
   */
  private underTenantLock<T>(actor: AuthUser, work: (m: EntityManager, current: AuthUser) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.tenants.lockForMembershipChange(m, actor.tenantId))) throw AppException.notFound('Tenant');
      const self = await this.users.findByIdInTenant(actor.tenantId, actor.userId, m);
      if (!self) throw AppException.unauthorized('This account no longer exists', 'TOKEN_INVALID');
      if (self.role !== 'owner' && self.role !== 'admin')
        throw AppException.forbidden('This needs one of the roles: owner, admin', 'ROLE_REQUIRED');
      return work(m, { ...actor, role: self.role });
    });
  }

  private alreadyMember() {
    return AppException.conflict('MEMBER_EXISTS', 'This email is already a member of this tenant');
  }

  /** Only an owner hands out or takes away ownership. */
  private assertMayGrant(actor: AuthUser, role: Role) {
    if (role === 'owner' && actor.role !== 'owner')
      throw AppException.forbidden('Only an owner can make someone an owner', 'OWNER_REQUIRED');
  }

  private assertMayManage(actor: AuthUser, targetRole: Role) {
    if (targetRole === 'owner' && actor.role !== 'owner')
      throw AppException.forbidden('Only an owner can change an owner', 'OWNER_REQUIRED');
  }

  private async assertNotLastOwner(tenantId: string, m: EntityManager) {
    if ((await this.users.countOwners(tenantId, m)) <= 1) {
      throw AppException.conflict('LAST_OWNER', 'A tenant needs at least one owner');
    }
  }
}
