import { Module } from '@nestjs/common';
import { jwtModuleOptions } from '../../core/security/jwt-options';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../../core/config/app-config';
import { AuditModule } from '../audit';
import { TenantsModule } from '../tenants';
import { UsersModule } from '../users';
import { InvitationEntity } from './entities/invitation.entity';
import { InvitationMailer } from './invitation-mailer';
import { InvitationAcceptController, InvitationsController } from './invitations.controller';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { OptionalJwtGuard } from './optional-jwt.guard';

/**
 * Team invitations. Accepting signs the new member in, so this module signs JWTs exactly as the
 * auth module does (same secret, issuer, algorithm and lifetime): the auth module cannot export
 * its JwtModule without an auth ⇄ tenants file cycle, and the 'jwt' strategy that verifies
 * tokens is the auth module's.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([InvitationEntity]),
    UsersModule,
    TenantsModule,
    AuditModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: jwtModuleOptions,
    }),
  ],
  controllers: [InvitationsController, InvitationAcceptController],
  providers: [InvitationsRepository, InvitationsService, InvitationMailer, OptionalJwtGuard],
})
export class InvitationsModule {}
