import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { CompaniesModule } from '../companies';
import { AdminTokensController } from './admin-tokens.controller';
import { TokenRefreshProcessor } from './token-refresh.processor';
import { TokenRefreshReport } from './token-refresh.report';
import { TokenRefreshService } from './token-refresh.service';

/** Background token refresh, daily cleanup and the admin token endpoints (above companies). */
@Module({
  imports: [CompaniesModule, AuditModule],
  controllers: [AdminTokensController],
  providers: [TokenRefreshService, TokenRefreshProcessor, TokenRefreshReport],
  exports: [TokenRefreshService],
})
export class TokenRefreshModule {}
