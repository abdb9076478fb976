/** The invitations module's public surface: other modules import from here, never from its files. */
export { InvitationsModule } from './invitations.module';
