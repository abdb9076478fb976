import { Global, Module } from '@nestjs/common';
import { ADMIN_READ_RECORDER } from '../../core/security/admin-read-recorder';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminReadAuditRecorder } from './admin-read-audit.recorder';
import { AuditAdminController } from './audit-admin.controller';
import { AuditQueryService } from './audit-query.service';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditEntryEntity } from './entities/audit-entry.entity';

/**
 * The audit log: AuditService.record() for every module that changes something a person asked
 * for, GET /api/audit and the operator's GET /api/admin/audit, the retention prune (run by the
 * maintenance queue's `prune-audit` job) and the record of every admin-token read. Global so
 * the AdminTokenGuard, used in many modules (core's metrics and health included), finds the
 * admin-read recorder wherever it runs.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntryEntity])],
  controllers: [AuditController, AuditAdminController],
  providers: [AuditRepository, AuditService, AuditQueryService, { provide: ADMIN_READ_RECORDER, useClass: AdminReadAuditRecorder }],
  exports: [AuditService, AuditQueryService, ADMIN_READ_RECORDER],
})
export class AuditModule {}
