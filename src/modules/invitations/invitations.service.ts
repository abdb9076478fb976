import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser, JwtPayload } from '../../core/security/auth-user';
import type { RequestActor } from '../../core/security/request-actor';
import { auditChanges, AuditService } from '../audit';
import { MemberDto, TenantDto, TenantsRepository } from '../tenants';
import { PasswordService, UsersRepository } from '../users';
import {
  AcceptedInvitationDto,
  AcceptInvitationDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationDto,
  InvitationLookupDto,
} from './dto/invitation.dto';
import { InvitationEntity, statusOf } from './entities/invitation.entity';
import { InvitationMailer } from './invitation-mailer';
import { hashInvitationToken, newInvitationToken } from './invitation-token';
import { InvitationsRepository } from './invitations.repository';

/** Where the invitee opens the link; the token rides in the fragment (never sent to a server). */
export const ACCEPT_PATH = '/invitations/accept';

@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly mailer: InvitationMailer,
    private readonly jwt: JwtService,
  ) {}

  /**
   * Invites an email into the caller's tenant. Only this tenant's members are looked at, as
   * with addMember: whether the email has an account in another tenant changes neither the
   * answer nor the work. A pending invitation for the same email is revoked and replaced, so
   * one email has at most one working link (the newest).
   */
  async create(actor: AuthUser, dto: CreateInvitationDto, requestOrigin: string): Promise<CreatedInvitationDto> {
    if (dto.role === 'owner' && actor.role !== 'owner')
      throw AppException.forbidden('Only an owner can make someone an owner', 'OWNER_REQUIRED');
    const token = newInvitationToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.invitations.ttlHours * 3_600_000);
    const invitation = await this.dataSource.transaction(async (m) => {
      await this.invitations.lockEmail(m, actor.tenantId, dto.email);
      if (await this.users.emailInTenant(actor.tenantId, dto.email)) throw this.alreadyMember();
      for (const old of await this.invitations.findPendingForEmail(m, actor.tenantId, dto.email, now)) {
        await this.invitations.revoke(m, actor.tenantId, old.id, now);
        await this.audit.record(m, {
          tenantId: actor.tenantId,
          action: 'invitation.revoke',
          targetType: 'invitation',
          targetId: old.id,
          changes: auditChanges({ status: 'pending' }, { status: 'revoked', replacedByNewInvitation: true }),
        });
      }
      const created = await this.invitations.create(m, {
        tenantId: actor.tenantId,
        email: dto.email,
        role: dto.role,
        tokenHash: hashInvitationToken(token),
        invitedBy: actor.userId,
        expiresAt,
      });
      await this.audit.record(m, {
        tenantId: actor.tenantId,
        action: 'invitation.create',
        targetType: 'invitation',
        targetId: created.id,
        changes: auditChanges(null, { email: created.email, role: created.role, expiresAt: created.expiresAt }),
      });
      return created;
    });
    const inviteUrl = `${this.config.publicUrl ?? requestOrigin}${ACCEPT_PATH}#token=${token}`;
    const tenant = await this.tenants.findById(actor.tenantId);
    const delivery = await this.mailer.send({
      to: invitation.email,
      tenantName: tenant?.name ?? 'a Flowgate tenant',
      role: invitation.role,
      inviteUrl,
      expiresAt: invitation.expiresAt,
    });
    this.logger.log({ tenantId: actor.tenantId, invitationId: invitation.id, delivery }, 'invitation created');
    return { ...InvitationDto.from(invitation, now), inviteUrl, token, delivery };
  }

  async list(actor: AuthUser): Promise<InvitationDto[]> {
    const now = new Date();
    return (await this.invitations.listInTenant(actor.tenantId)).map((i) => InvitationDto.from(i, now));
  }

  /** Withdraws an invitation: its link stops working. Revoking a revoked one is a no-op; an accepted one cannot be. */
  async revoke(actor: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const invitation = await this.invitations.findInTenantForUpdate(m, actor.tenantId, id);
      if (!invitation) throw AppException.notFound('Invitation');
      if (invitation.acceptedAt)
        throw AppException.conflict('INVITATION_ACCEPTED', 'This invitation was accepted; remove the member instead');
      if (invitation.revokedAt) return;
      const status = statusOf(invitation);
      await this.invitations.revoke(m, actor.tenantId, id, new Date());
      await this.audit.record(m, {
        tenantId: actor.tenantId,
        action: 'invitation.revoke',
        targetType: 'invitation',
        targetId: id,
        changes: auditChanges({ status }, { status: 'revoked' }),
      });
    });
  }

  /** What the token holder is invited to (never whether the email already has an account). */
  async lookup(token: string): Promise<InvitationLookupDto> {
    const invitation = this.usable(await this.invitations.findByTokenHash(hashInvitationToken(token)));
    const tenant = await this.tenants.findById(invitation.tenantId);
    if (!tenant) throw this.notFound();
    return {
      tenant: { name: tenant.name, slug: tenant.slug },
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  /**
   * Accepts an invitation: creates the invited email's account in the inviting tenant with the
   * invited role, atomically with marking the invitation used, and signs it in.
   *
   * - With a bearer token (`caller`) of an account with the invited email: the new membership
   *   signs in with that account's password.
   * - Otherwise `password`: when the email has accounts (in any tenant) and the password opens
   *   one of them, the membership reuses it ("sign in"); when it has none, the password becomes
   *   the new account's ("register"); when it has some and the password opens none: 401.
   *
   * Two accepts of one token are serialised on the invitation's row: exactly one wins.
   */
  async accept(dto: AcceptInvitationDto, caller?: AuthUser): Promise<AcceptedInvitationDto> {
    const tokenHash = hashInvitationToken(dto.token);
    const found = this.usable(await this.invitations.findByTokenHash(tokenHash));
    // Checked before the (costly) password work; checked again by the unique index when inserting.
    if (await this.users.emailInTenant(found.tenantId, found.email)) throw this.alreadyMember();
    const passwordHash = await this.passwordHashFor(found, dto.password, caller);

    const now = new Date();
    let user;
    try {
      user = await this.dataSource.transaction(async (m) => {
        const invitation = this.usable(await this.invitations.findByTokenHashForUpdate(m, tokenHash), now);
        const created = await this.users.create(
          { tenantId: invitation.tenantId, email: invitation.email, passwordHash, role: invitation.role },
          m,
        );
        if (!(await this.invitations.markAccepted(m, invitation.tenantId, invitation.id, created.id, now))) throw this.used();
        const actor: RequestActor = { type: 'user', id: created.id, email: created.email };
        await this.audit.record(m, {
          tenantId: invitation.tenantId,
          action: 'member.add',
          targetType: 'member',
          targetId: created.id,
          changes: auditChanges(null, { email: created.email, role: created.role, invitationId: invitation.id }),
          actor,
        });
        await this.audit.record(m, {
          tenantId: invitation.tenantId,
          action: 'invitation.accept',
          targetType: 'invitation',
          targetId: invitation.id,
          changes: auditChanges({ status: 'pending' }, { status: 'accepted', acceptedUserId: created.id }),
          actor,
        });
        return created;
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw this.alreadyMember(); // became a member meanwhile
      throw e;
    }
    const tenant = await this.tenants.findById(user.tenantId);
    if (!tenant) throw this.notFound();
    this.logger.log({ tenantId: tenant.id, userId: user.id, invitationId: found.id }, 'invitation accepted');
    const payload: JwtPayload = { sub: user.id, tid: tenant.id, email: user.email, role: user.role };
    const accessToken = await this.jwt.signAsync(payload);
    const { exp, iat } = this.jwt.decode(accessToken) as { exp: number; iat: number };
    return { accessToken, tokenType: 'Bearer', expiresIn: exp - iat, user: MemberDto.from(user), tenant: TenantDto.from(tenant) };
  }

  private async passwordHashFor(invitation: InvitationEntity, password: string | undefined, caller?: AuthUser): Promise<string> {
    if (caller) {
      if (caller.email.toLowerCase() !== invitation.email.toLowerCase())
        throw AppException.forbidden('This invitation is for another email than your account’s', 'INVITATION_EMAIL_MISMATCH');
      const hash = await this.invitations.passwordHashOf(caller.tenantId, caller.userId);
      if (!hash) throw AppException.unauthorized('This account no longer exists', 'TOKEN_INVALID');
      return hash;
    }
    if (password === undefined)
      throw AppException.validation([{ field: 'password', message: 'password is required unless you send a bearer token' }]);
    // As login: every account with the email is verified (in parallel); none still costs one verification.
    const candidates = await this.users.findLoginCandidates(invitation.email);
    const verified = await Promise.all(
      (candidates.length ? candidates : [undefined]).map((u) => this.passwords.verify(u?.passwordHash, password)),
    );
    if (!candidates.length) return this.passwords.hash(password); // register
    const opened = candidates.find((_, i) => verified[i]);
    if (!opened) throw AppException.unauthorized('Invalid email or password', 'INVALID_CREDENTIALS');
    return opened.passwordHash; // sign in: the new membership opens with the same password
  }

  /** The invitation if its token still works; otherwise 404 (unknown) or 410 (used, revoked, expired). */
  private usable(invitation: InvitationEntity | null, now = new Date()): InvitationEntity {
    if (!invitation) throw this.notFound();
    switch (statusOf(invitation, now)) {
      case 'accepted':
        throw this.used();
      case 'revoked':
        throw new AppException(410, 'INVITATION_REVOKED', 'This invitation was revoked');
      case 'expired':
        throw new AppException(410, 'INVITATION_EXPIRED', 'This invitation has expired; ask for a new one');
      default:
        return invitation;
    }
  }

  private notFound() {
    return AppException.notFound('Invitation', 'INVITATION_NOT_FOUND');
  }

  private used() {
    return new AppException(410, 'INVITATION_USED', 'This invitation was already accepted');
  }

  private alreadyMember() {
    return AppException.conflict('MEMBER_EXISTS', 'This email is already a member of this tenant');
  }
}
