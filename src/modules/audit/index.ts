/** The audit module's public surface: other modules import from here, never from its files. */
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export type { AuditEvent } from './audit.service';
export { auditChanges, SECRET_CHANGED, SECRET_SET } from './audit-changes';
export type { AuditChanges } from './entities/audit-entry.entity';
export { AuditQueryService } from './audit-query.service';
