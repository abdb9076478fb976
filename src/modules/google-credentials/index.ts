/** The google-credentials module's public surface. */
export { GoogleCredentialsModule } from './google-credentials.module';
