import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser, JwtPayload } from '../../core/security/auth-user';
import { UsersRepository } from '../users';

/**
 * Verifies the bearer token, then reloads the user: a removed member's token stops working
 * at once and a role change applies to the next request.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.auth.jwtSecret,
      algorithms: ['HS256'],
      issuer: 'flowgate',
      ignoreExpiration: false,
    });
  }

  async validate(payload: JwtPayload): Promise<AuthUser> {
    if (typeof payload?.sub !== 'string' || typeof payload?.tid !== 'string')
      throw AppException.unauthorized('Invalid token', 'TOKEN_INVALID');
    const user = await this.users.findByIdInTenant(payload.tid, payload.sub).catch(() => null);
    if (!user) throw AppException.unauthorized('This account no longer exists', 'TOKEN_INVALID');
    return { userId: user.id, tenantId: user.tenantId, email: user.email, role: user.role };
  }
}
