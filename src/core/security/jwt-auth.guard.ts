import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppException } from '../errors/app-exception';
import { setLogContext } from '../logging/request-id';
import { AuthUser } from './auth-user';
import { IS_PUBLIC, ROLES_KEY } from './decorators';
import { Role } from './auth-user';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); @Roles()
 * narrows it to tenant roles. The 'jwt' strategy lives in the auth module.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    await (super.canActivate(ctx) as Promise<boolean>);
    const req = ctx.switchToHttp().getRequest();
    const user = req.user as AuthUser;
    setLogContext(req.raw ?? req, { tenantId: user.tenantId, userId: user.userId });
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(user.role)) {
      throw AppException.forbidden(`This needs one of the roles: ${roles.join(', ')}`, 'ROLE_REQUIRED');
    }
    return true;
  }

  handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err instanceof AppException) throw err;
    if (err || !user) {
      const reason = info instanceof Error ? info.message : '';
      if (/expired/i.test(reason)) throw AppException.unauthorized('Token expired', 'TOKEN_EXPIRED');
      if (/No auth token/i.test(reason)) throw AppException.unauthorized('Bearer token required', 'TOKEN_REQUIRED');
      throw AppException.unauthorized('Invalid token', 'TOKEN_INVALID');
    }
    return user;
  }
}
