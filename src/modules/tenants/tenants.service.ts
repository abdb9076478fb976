import { Injectable } from '@nestjs/common';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser, Role } from '../../core/security/auth-user';
import { PasswordService } from '../users/password.service';
import { UsersRepository } from '../users/users.repository';
import { AddMemberDto, MemberDto, TenantDto } from './dto/tenant.dto';
import { TenantsRepository } from './tenants.repository';

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
  ) {}

  async current(actor: AuthUser): Promise<TenantDto> {
    const tenant = await this.tenants.findById(actor.tenantId);
    if (!tenant) throw AppException.notFound('Tenant');
    return TenantDto.from(tenant);
  }

  async members(actor: AuthUser): Promise<MemberDto[]> {
    return (await this.users.listInTenant(actor.tenantId)).map(MemberDto.from);
  }

  async addMember(actor: AuthUser, dto: AddMemberDto): Promise<MemberDto> {
    this.assertMayGrant(actor, dto.role);
    if (await this.users.emailExists(dto.email)) throw AppException.conflict('EMAIL_TAKEN', 'A user with this email already exists');
    const user = await this.users.create({
      tenantId: actor.tenantId,
      email: dto.email,
      passwordHash: await this.passwords.hash(dto.password),
      role: dto.role,
    });
    return MemberDto.from(user);
  }

  async changeRole(actor: AuthUser, userId: string, role: Role): Promise<MemberDto> {
    const target = await this.users.findByIdInTenant(actor.tenantId, userId);
    if (!target) throw AppException.notFound('Member');
    this.assertMayManage(actor, target.role);
    this.assertMayGrant(actor, role);
    if (target.role === 'owner' && role !== 'owner') await this.assertNotLastOwner(actor.tenantId);
    await this.users.updateRole(actor.tenantId, userId, role);
    return MemberDto.from({ ...target, role });
  }

  async removeMember(actor: AuthUser, userId: string): Promise<void> {
    const target = await this.users.findByIdInTenant(actor.tenantId, userId);
    if (!target) throw AppException.notFound('Member');
    this.assertMayManage(actor, target.role);
    if (target.role === 'owner') await this.assertNotLastOwner(actor.tenantId);
    await this.users.remove(actor.tenantId, userId);
  }

  /** Only an owner hands out or takes away ownership. */
  private assertMayGrant(actor: AuthUser, role: Role) {
    if (role === 'owner' && actor.role !== 'owner') throw AppException.forbidden('Only an owner can make someone an owner', 'OWNER_REQUIRED');
  }

  private assertMayManage(actor: AuthUser, targetRole: Role) {
    if (targetRole === 'owner' && actor.role !== 'owner') throw AppException.forbidden('Only an owner can change an owner', 'OWNER_REQUIRED');
  }

  private async assertNotLastOwner(tenantId: string) {
    if ((await this.users.countOwners(tenantId)) <= 1) {
      throw AppException.conflict('LAST_OWNER', 'A tenant needs at least one owner');
    }
  }
}
