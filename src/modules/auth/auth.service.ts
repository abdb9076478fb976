import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser, JwtPayload } from '../../core/security/auth-user';
import { AuditService, auditChanges } from '../audit';
import { MemberDto, TenantDto } from '../tenants';
import { TenantEntity } from '../tenants';
import { TenantsRepository } from '../tenants';
import { UserEntity } from '../users';
import { PasswordService } from '../users';
import { UsersRepository } from '../users';
import { AuthOptionsDto, AuthResponseDto, LoginDto, MeResponseDto, RegisterDto } from './dto/auth.dto';
import { slugify } from './slugify';

export const DEV_EMAIL = 'dev@flowgate.local';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
  ) {}

  async register(dto: RegisterDto): Promise<AuthResponseDto> {
    if (await this.users.emailExists(dto.email)) throw this.emailTaken();
    const passwordHash = await this.passwords.hash(dto.password);
    try {
      const { tenant, user } = await this.createTenantWithOwner(dto.tenantName, dto.email, passwordHash);
      this.logger.log({ tenantId: tenant.id, userId: user.id }, 'tenant registered');
      return this.issue(user, tenant);
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw this.emailTaken(); // lost a race with the same email
      throw e;
    }
  }

  async login(dto: LoginDto): Promise<AuthResponseDto> {
    // An email is unique per tenant, so it may hold accounts in several tenants: sign in to
    // the one the password opens. Every candidate is verified (in parallel), and an unknown
    // email still costs one verification, so failures take as long and read the same.
    const candidates = await this.users.findLoginCandidates(dto.email, dto.tenant);
    const verified = await Promise.all(
      (candidates.length ? candidates : [undefined]).map((u) => this.passwords.verify(u?.passwordHash, dto.password)),
    );
    const opened = candidates.filter((_, i) => verified[i]);
    if (!opened.length) {
      await this.loginFailed(dto.email, candidates);
      throw AppException.unauthorized('Invalid email or password', 'INVALID_CREDENTIALS');
    }
    const tenants = (await Promise.all(opened.map((u) => this.tenants.findById(u.tenantId)))).filter((x): x is TenantEntity => x !== null);
    if (tenants.length !== opened.length || !tenants.length) {
      await this.loginFailed(dto.email, candidates);
      throw AppException.unauthorized('Invalid email or password', 'INVALID_CREDENTIALS');
    }
    if (opened.length > 1) {
      // Only tenants this password opens are named: the caller has proven it holds each account.
      throw new AppException(
        409,
        'TENANT_REQUIRED',
        'This email and password open accounts in several tenants: name one in `tenant`',
        tenants.map((t) => ({ field: 'tenant', message: t.name, slug: t.slug })),
      );
    }
    const [user] = opened;
    await this.signedIn('auth.login', user);
    return this.issue(user, tenants[0]);
  }

  /** The sign-in and its audit row, in one transaction. The actor is the user signing in (the request has no user yet). */
  private signedIn(action: 'auth.login' | 'auth.dev_login', user: UserEntity): Promise<void> {
    return this.dataSource.transaction(async (m) => {
      await this.users.touchLogin(user.id, m);
      await this.audit.record(m, {
        tenantId: user.tenantId,
        action,
        targetType: 'user',
        targetId: user.id,
        actor: { type: 'user', id: user.id, email: user.email },
      });
    });
  }

  /**
   * A failed sign-in: actor anonymous with the email tried. The tenant (and the account as
   * target) only when exactly one account has this email, so its owners see attempts on it;
   * the answer is the same 401 either way, and unknown emails write a row too.
   */
  private loginFailed(email: string, candidates: UserEntity[]): Promise<void> {
    const only = candidates.length === 1 ? candidates[0] : undefined;
    return this.audit.record(undefined, {
      tenantId: only?.tenantId ?? null,
      action: 'auth.login_failed',
      targetType: 'user',
      targetId: only?.id ?? null,
      actor: { type: 'anonymous', id: null, email: email.slice(0, 254) },
    });
  }

  async me(actor: AuthUser): Promise<MeResponseDto> {
    const [user, tenant] = await Promise.all([
      this.users.findByIdInTenant(actor.tenantId, actor.userId),
      this.tenants.findById(actor.tenantId),
    ]);
    if (!user || !tenant) throw AppException.unauthorized('This account no longer exists', 'TOKEN_INVALID');
    return { user: MemberDto.from(user), tenant: TenantDto.from(tenant) };
  }

  options(): AuthOptionsDto {
    return { devMode: this.config.auth.devMode, registration: true };
  }

  /** DEV_MODE only: one shared development account, created on first use. */
  async devLogin(): Promise<AuthResponseDto> {
    if (!this.config.auth.devMode) throw new AppException(404, 'ROUTE_NOT_FOUND', 'Route POST /api/auth/dev-login not found');
    for (let attempt = 0; attempt < 3; attempt++) {
      // The dev account is the dev tenant's: a member elsewhere may carry the same email.
      const devTenant = await this.tenants.findDevTenant();
      const existing = devTenant ? await this.users.findInTenantByEmail(devTenant.id, DEV_EMAIL) : null;
      if (devTenant && existing) {
        await this.signedIn('auth.dev_login', existing);
        return this.issue(existing, devTenant);
      }
      try {
        // Nobody can sign in as the dev user with a password: it gets a random one nobody knows.
        const hash = await this.passwords.hash(randomBytes(24).toString('base64url'));
        const { tenant, user } = await this.createTenantWithOwner('Dev tenant', DEV_EMAIL, hash, true);
        await this.signedIn('auth.dev_login', user);
        return this.issue(user, tenant);
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e; // created concurrently: read it again
      }
    }
    throw AppException.conflict('DEV_LOGIN_RACE', 'Could not create the dev account, try again');
  }

  private async createTenantWithOwner(name: string, email: string, passwordHash: string, isDev = false) {
    return this.dataSource.transaction(async (m) => {
      // One registration per email: emails are unique per tenant only, so two registrations
      // racing with one email are serialised on a lock keyed by it, and the loser sees the winner.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('flowgate:register:' || lower($1)))`, [email]);
      const taken = isDev ? await m.getRepository(TenantEntity).exists({ where: { isDev: true } }) : await this.users.emailExists(email, m);
      if (taken) throw Object.assign(new Error('account exists'), { code: '23505' }); // handled as a lost race by the callers
      const tenant = await this.tenants.create({ name, slug: await this.tenants.freeSlug(slugify(name), m), isDev }, m);
      const user = await this.users.create({ tenantId: tenant.id, email, passwordHash, role: 'owner' }, m);
      await this.audit.record(m, {
        tenantId: tenant.id,
        action: 'tenant.register',
        targetType: 'tenant',
        targetId: tenant.id,
        changes: auditChanges(null, { name: tenant.name, slug: tenant.slug, ownerId: user.id, ownerEmail: user.email }),
        actor: { type: 'user', id: user.id, email: user.email },
      });
      return { tenant, user };
    });
  }

  private async issue(user: UserEntity, tenant: TenantEntity): Promise<AuthResponseDto> {
    const payload: JwtPayload = { sub: user.id, tid: tenant.id, email: user.email, role: user.role };
    const accessToken = await this.jwt.signAsync(payload);
    const { exp, iat } = this.jwt.decode(accessToken) as { exp: number; iat: number };
    return { accessToken, tokenType: 'Bearer', expiresIn: exp - iat, user: MemberDto.from(user), tenant: TenantDto.from(tenant) };
  }

  private emailTaken() {
    return AppException.conflict('EMAIL_TAKEN', 'An account with this email already exists');
  }
}
