/** The credentials module's public surface: other modules import from here, never from its files. */
export type { AuthKindHandler, ResolveContext } from './auth-kinds/auth-kind.handler';
export { AuthKindRegistry } from './auth-kinds/auth-kind.registry';
export { CredentialSchemas } from './credential-schemas';
export { CredentialsModule } from './credentials.module';
export { CredentialsService } from './credentials.service';
export { CredentialDto } from './dto/credential.dto';
