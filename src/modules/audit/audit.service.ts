import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currentRequest } from '../../core/logging/access-log';
import { actorOf, RequestActor } from '../../core/security/request-actor';
import { AuditRepository } from './audit.repository';
import type { AuditChanges } from './entities/audit-entry.entity';

export interface AuditEvent {
  /** The tenant the change belongs to; null for an operator change that belongs to none. */
  tenantId: string | null;
  /** `<target>.<verb>`, e.g. `workflow.update`, `credential.delete`, `auth.login_failed`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** From auditChanges(): the changed fields, secrets never included. */
  changes?: AuditChanges | null;
  /**
   * Who acted, when the request does not say it yet (a login: the user it signs in, or the
   * email a failed attempt named). Default: the request's user or admin token.
   */
  actor?: RequestActor;
}

/**
 * Records who changed what. Called inside the transaction that makes the change, with its
 * EntityManager, so the row exists exactly when the change does. The request (its id, client
 * address and actor) is read from the request context; outside a request (a job) the actor is
 * anonymous and the request fields are null.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  async record(manager: EntityManager | undefined, event: AuditEvent): Promise<void> {
    const request = currentRequest();
    const actor = event.actor ?? actorOf(request);
    await this.repo.insert(
      {
        tenantId: event.tenantId,
        actorType: actor.type,
        actorId: actor.id,
        actorEmail: actor.email,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId ?? null,
        requestId: request ? String(request.id) : null,
        clientIp: request?.ip ?? null,
        changes: event.changes ?? null,
      },
      manager,
    );
  }
}
