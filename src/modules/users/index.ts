/** The users module's public surface: other modules import from here, never from its files. */
export { UserEntity } from './entities/user.entity';
export { PasswordService } from './password.service';
export { UsersModule } from './users.module';
export { UsersRepository } from './users.repository';
