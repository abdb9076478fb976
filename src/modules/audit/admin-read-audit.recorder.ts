import { Injectable } from '@nestjs/common';
import type { AdminReadRecorder } from '../../core/security/admin-read-recorder';
import { AuditService } from './audit.service';

/**
 * Every read made with the admin token is recorded (`admin.read`, target `route` = method and
 * route template, no tenant), asked by the AdminTokenGuard once the token matched: only admin
 * routes pay for it (a global interceptor would put every request through Nest's interceptor
 * pipeline). Admin writes record themselves, inside their own transaction.
 */
@Injectable()
export class AdminReadAuditRecorder implements AdminReadRecorder {
  constructor(private readonly audit: AuditService) {}

  recordRead(route: string): Promise<void> {
    return this.audit.record(undefined, { tenantId: null, action: 'admin.read', targetType: 'route', targetId: route });
  }
}
