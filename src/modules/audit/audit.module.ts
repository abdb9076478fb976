import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminReadAuditInterceptor } from './admin-read-audit.interceptor';
import { AuditAdminController } from './audit-admin.controller';
import { AuditQueryService } from './audit-query.service';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditEntryEntity } from './entities/audit-entry.entity';

/**
 * The audit log: AuditService.record() for every module that changes something a person asked
 * for, GET /api/audit and the operator's GET /api/admin/audit, the retention prune (run by the
 * maintenance queue's `prune-audit` job) and the record of every admin-token read.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntryEntity])],
  controllers: [AuditController, AuditAdminController],
  providers: [AuditRepository, AuditService, AuditQueryService, { provide: APP_INTERCEPTOR, useClass: AdminReadAuditInterceptor }],
  exports: [AuditService, AuditQueryService],
})
export class AuditModule {}
