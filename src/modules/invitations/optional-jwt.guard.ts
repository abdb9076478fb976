import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppException } from '../../core/errors/app-exception';

/**
 * For a public route that also serves signed-in callers: without an Authorization header the
 * request goes on anonymously; with one, the bearer token must be valid (the same 'jwt'
 * strategy as everywhere, which reloads the account), and `request.user` is its account.
 */
@Injectable()
export class OptionalJwtGuard extends AuthGuard('jwt') {
  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    if (req.headers.authorization === undefined) return true;
    return (await super.canActivate(ctx)) as boolean;
  }

  handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err instanceof AppException) throw err;
    if (err || !user) {
      const reason = info instanceof Error ? info.message : '';
      if (/expired/i.test(reason)) throw AppException.unauthorized('Token expired', 'TOKEN_EXPIRED');
      throw AppException.unauthorized('Invalid token', 'TOKEN_INVALID');
    }
    return user;
  }
}
