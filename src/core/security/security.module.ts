import { Global, Module } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';
import { EncryptionService } from './encryption.service';

@Global()
@Module({ providers: [EncryptionService, AdminTokenGuard], exports: [EncryptionService, AdminTokenGuard] })
export class SecurityModule {}
