import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { ConnectorCatalogModule } from '../connectors/catalog';
import { AuthKindRegistry } from './auth-kinds/auth-kind.registry';
import { CredentialRotationService } from './credential-rotation.service';
import { CredentialSchemas } from './credential-schemas';
import { CredentialTester } from './credential-tester.service';
import { CredentialsAdminController } from './credentials-admin.controller';
import { CredentialsController } from './credentials.controller';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { CredentialEntity } from './entities/credential.entity';

/**
 * Credentials sit on the connector catalog (which connectors and kinds exist) and below the
 * invoker (ConnectorsModule), so there is no import loop. AuthKindRegistry is exported for
 * modules that add a kind at start (nango).
 */
@Module({
  imports: [TypeOrmModule.forFeature([CredentialEntity]), ConnectorCatalogModule, AuditModule],
  controllers: [CredentialsController, CredentialsAdminController],
  providers: [CredentialsRepository, CredentialsService, CredentialSchemas, CredentialTester, CredentialRotationService, AuthKindRegistry],
  exports: [CredentialsService, CredentialSchemas, AuthKindRegistry],
})
export class CredentialsModule {}
