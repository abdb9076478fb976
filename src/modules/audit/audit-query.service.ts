import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuditFilter, AuditRepository } from './audit.repository';
import { AdminAuditQueryDto, AuditEntryDto, AuditPageDto, AuditQueryDto } from './dto/audit.dto';

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_LIMIT = 50;

/** A cursor is the last row's id (a bigint, as decimal digits), base64url-encoded. */
export function encodeAuditCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor names; a 400 naming `cursor` for anything this API did not hand out. */
export function decodeAuditCursor(cursor: string): string {
  const id = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!/^[1-9][0-9]{0,18}$/.test(id) || BigInt(id) > 9223372036854775807n) {
    throw AppException.validation([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
  return id;
}

/** Reading the audit log (a tenant's, or the operator's view of all) and its retention. */
@Injectable()
export class AuditQueryService {
  private readonly logger = new Logger(AuditQueryService.name);

  constructor(
    private readonly repo: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One tenant's rows: the tenant comes from the caller's token, never from the query. */
  listForTenant(tenantId: string, q: AuditQueryDto): Promise<AuditPageDto> {
    return this.page({ ...this.filterOf(q), tenantId }, q);
  }

  /** The operator's view: one tenant's rows when `tenantId` is given, else every row (those of no tenant too). */
  listForAdmin(q: AdminAuditQueryDto): Promise<AuditPageDto> {
    return this.page({ ...this.filterOf(q), tenantId: q.tenantId }, q);
  }

  /** Deletes rows older than AUDIT_RETENTION_DAYS (the daily `prune-audit` maintenance job). */
  async prune(now = new Date()): Promise<{ deleted: number; cutoff: string }> {
    const cutoff = new Date(now.getTime() - this.config.audit.retentionDays * DAY_MS);
    const deleted = await this.repo.deleteBefore(cutoff);
    if (deleted) this.logger.log(`Audit retention: deleted ${deleted} row(s) recorded before ${cutoff.toISOString()}`);
    return { deleted, cutoff: cutoff.toISOString() };
  }

  private filterOf(q: AuditQueryDto): AuditFilter {
    if (q.from && q.to && q.from >= q.to) throw AppException.validation([{ field: 'to', message: 'to must be after from' }]);
    return { actorId: q.actorId, action: q.action, targetType: q.targetType, targetId: q.targetId, from: q.from, to: q.to };
  }

  private async page(filter: AuditFilter, q: AuditQueryDto): Promise<AuditPageDto> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const before = q.cursor !== undefined ? decodeAuditCursor(q.cursor) : undefined;
    const rows = await this.repo.list(filter, limit + 1, before);
    const items = rows.slice(0, limit).map(AuditEntryDto.from);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
  }
}
