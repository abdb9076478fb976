import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';
import { actorOf } from '../../core/security/request-actor';
import { AuditService } from './audit.service';

const READS = new Set(['GET', 'HEAD']);

/**
 * Every read made with the admin token is recorded (`admin.read`, target `route` = method and
 * route template, no tenant): the admin token reads across tenants, and an auditor wants that
 * trail. Recorded after the read and before the answer leaves, so no admin read is answered
 * unrecorded. Admin writes record themselves, inside their own transaction.
 */
@Injectable()
export class AdminReadAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!READS.has(request.method) || actorOf(request).type !== 'admin_token') return next.handle();
    const route = `${request.method} ${request.routeOptions?.url ?? request.url.split('?')[0]}`.slice(0, 128);
    return next
      .handle()
      .pipe(
        mergeMap((value) =>
          from(
            this.audit.record(undefined, { tenantId: null, action: 'admin.read', targetType: 'route', targetId: route }).then(() => value),
          ),
        ),
      );
  }
}
