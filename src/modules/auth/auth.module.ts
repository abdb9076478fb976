import { Module } from '@nestjs/common';
import { jwtModuleOptions } from '../../core/security/jwt-options';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG } from '../../core/config/app-config';
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
      useFactory: jwtModuleOptions,
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy, AuthRateLimitGuard],
})
export class AuthModule {}
