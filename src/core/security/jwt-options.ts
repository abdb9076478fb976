import type { JwtModuleOptions } from '@nestjs/jwt';
import type { AppConfig } from '../config/app-config';

/**
 * How Flowgate signs its access tokens (HS256, issuer `flowgate`, JWT_EXPIRES_IN). One place,
 * for every module that issues a token (sign-in, accepting an invitation).
 */
export function jwtModuleOptions(config: AppConfig): JwtModuleOptions {
  return {
    secret: config.auth.jwtSecret,
    signOptions: {
      expiresIn: /^\d+$/.test(config.auth.jwtExpiresIn) ? Number(config.auth.jwtExpiresIn) : (config.auth.jwtExpiresIn as `${number}h`),
      issuer: 'flowgate',
      algorithm: 'HS256',
    },
  };
}
