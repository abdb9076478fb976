import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AuditModule } from '../audit';
import { TenantsModule } from '../tenants';
import { UsersModule } from '../users';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';

@Module({
  imports: [
    PassportModule,
    AuditModule,
    UsersModule,
    TenantsModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: {
          expiresIn: /^\d+$/.test(config.auth.jwtExpiresIn) ? Number(config.auth.jwtExpiresIn) : (config.auth.jwtExpiresIn as `${number}h`),
          issuer: 'flowgate',
          algorithm: 'HS256',
        },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy, AuthRateLimitGuard],
})
export class AuthModule {}
