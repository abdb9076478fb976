import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { CacheService } from '../../core/cache/cache.service';
import { QueueService } from '../../core/queue/queue.module';
import type { RequestActor } from '../../core/security/request-actor';
import { AuditService, auditChanges } from '../audit';
import { NangoClient } from '../nango';
import { NangoError } from '../nango';
import { assertNangoConfigured } from '../nango';
import { NangoConnectionInfo } from '../nango';
import { CompaniesRepository } from './companies.repository';
import { companyDataFrom } from './connection-ownership';
import { CompanyDto, CompanyPageDto, ListCompaniesQueryDto } from './dto/company.dto';
import { offsetOf, PageQueryDto } from './dto/pagination.dto';
import { SyncAcceptedDto, SyncRunDto, SyncRunPageDto } from './dto/sync-run.dto';
import { ContactDto, LocationDto, ProductDto } from './dto/synced-records.dto';
import { SyncEntity } from './entities/sync-run.entity';
import { ContactEntity, LocationEntity, ProductEntity } from './entities/synced-records.entity';
import { SyncRunsRepository } from './sync-runs.repository';
import { SyncedRecordsRepository } from './synced-records.repository';

/** A queued/running run younger than this is joined instead of starting another. */
const SYNC_JOIN_WINDOW_MS = 60 * 60 * 1000;

export const companiesCacheNamespace = (tenantId: string) => `companies:${tenantId}`;

/**
 * Companies of a tenant. Reads go through the cache (namespace per tenant); every write
 * (connect, webhook, delete, sync, refresh outcome) drops the tenant's namespace.
 */
@Injectable()
export class CompaniesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly companies: CompaniesRepository,
    private readonly records: SyncedRecordsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly cache: CacheService,
    private readonly queues: QueueService,
    private readonly nango: NangoClient,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(tenantId: string, q: ListCompaniesQueryDto): Promise<CompanyPageDto> {
    const key = `list:${q.page}:${q.limit}:${q.status ?? ''}:${q.search ?? ''}`;
    return this.cache.getOrLoad(companiesCacheNamespace(tenantId), key, async () => {
      const { items, total } = await this.companies.list(tenantId, {
        offset: offsetOf(q),
        limit: q.limit,
        search: q.search || undefined,
        status: q.status,
      });
      return { items: items.map(CompanyDto.from), total, page: q.page, limit: q.limit };
    });
  }

  get(tenantId: string, id: string): Promise<CompanyDto> {
    return this.cache.getOrLoad(companiesCacheNamespace(tenantId), `company:${id}`, async () => {
      const c = await this.companies.findById(tenantId, id);
      if (!c) throw AppException.notFound('Company');
      return CompanyDto.from(c);
    });
  }

  async listRecords(entity: SyncEntity, tenantId: string, companyId: string, q: PageQueryDto) {
    await this.get(tenantId, companyId);
    return this.cache.getOrLoad(companiesCacheNamespace(tenantId), `${entity}:${companyId}:${q.page}:${q.limit}`, async () => {
      const { items, total } = await this.records.list(entity, tenantId, companyId, offsetOf(q), q.limit);
      const map = (r: unknown): LocationDto | ContactDto | ProductDto =>
        entity === 'locations'
          ? LocationDto.from(r as LocationEntity)
          : entity === 'contacts'
            ? ContactDto.from(r as ContactEntity)
            : ProductDto.from(r as ProductEntity);
      return { items: items.map(map), total, page: q.page, limit: q.limit };
    });
  }

  /** Sync runs are read live (their status moves while a worker runs them). */
  async listSyncRuns(tenantId: string, companyId: string, q: PageQueryDto): Promise<SyncRunPageDto> {
    await this.get(tenantId, companyId);
    const [items, total] = await this.runs.list(tenantId, companyId, offsetOf(q), q.limit);
    return { items: items.map(SyncRunDto.from), total, page: q.page, limit: q.limit };
  }

  /** Deletes the connection at Nango first (so the customer's grant is gone), then the company. */
  async delete(tenantId: string, id: string): Promise<void> {
    const company = await this.companies.findById(tenantId, id);
    if (!company) throw AppException.notFound('Company');
    assertNangoConfigured(this.config);
    try {
      await this.nango.deleteConnection(company.providerConfigKey, company.connectionId);
    } catch (e) {
      throw e instanceof NangoError ? e.toAppException() : e;
    }
    await this.dataSource.transaction(async (m) => {
      if (!(await this.companies.withManager(m).delete(tenantId, id))) return; // deleted meanwhile (a revocation webhook)
      await this.audit.record(m, {
        tenantId,
        action: 'company.delete',
        targetType: 'company',
        targetId: id,
        changes: auditChanges(
          { connectionId: company.connectionId, providerConfigKey: company.providerConfigKey, businessName: company.businessName },
          null,
        ),
      });
    });
    await this.invalidate(tenantId);
  }

  /** 202: stores a sync run and its job; joins a run already queued or running. */
  async requestSync(tenantId: string, id: string): Promise<SyncAcceptedDto> {
    const company = await this.companies.findById(tenantId, id);
    if (!company) throw AppException.notFound('Company');
    assertNangoConfigured(this.config);
    if (company.status !== 'active') {
      throw AppException.conflict(
        'COMPANY_NOT_ACTIVE',
        `Company connection is ${company.status}: the customer must connect again before syncing`,
      );
    }
    const existing = await this.runs.findInProgress(tenantId, id, new Date(Date.now() - SYNC_JOIN_WINDOW_MS));
    if (existing) {
      await this.auditSync(tenantId, id, existing.id, true);
      return { syncRunId: existing.id, status: existing.status === 'running' ? 'running' : 'queued', alreadyInProgress: true };
    }
    const run = await this.runs.create(tenantId, id);
    try {
      await this.queues.addWithin(
        this.queues.deadline('The sync could not be queued (Redis unavailable); try again shortly'),
        'companySync',
        'sync',
        { tenantId, companyId: id, syncRunId: run.id },
        { jobId: run.id, attempts: 1 },
      );
    } catch (e) {
      // Not stored (a late add finds the run finished and does nothing): the run says why.
      await this.runs.finish(tenantId, run.id, 'failed', {}, [
        { entity: 'connection', message: 'could not be queued (Redis unavailable)' },
      ]);
      throw e;
    }
    await this.auditSync(tenantId, id, run.id, false);
    return { syncRunId: run.id, status: 'queued', alreadyInProgress: false };
  }

  /** A sync request is a queued job, not one transaction: recorded once it is queued (or joined). */
  private auditSync(tenantId: string, companyId: string, syncRunId: string, joined: boolean): Promise<void> {
    return this.audit.record(undefined, {
      tenantId,
      action: 'company.sync',
      targetType: 'company',
      targetId: companyId,
      changes: { before: {}, after: { syncRunId, alreadyInProgress: joined } },
    });
  }

  /**
   * Creates or refreshes the tenant's company from a Nango connection. `audit`: a person's
   * connect (the exchange, or the OAuth callback finishing a flow a user started): recorded as
   * `company.connect` in the same transaction; a Nango webhook passes none.
   */
  async upsertFromConnection(
    tenantId: string,
    connection: NangoConnectionInfo,
    audit?: { actor?: RequestActor },
  ): Promise<{ company: CompanyDto; created: boolean }> {
    const before = await this.companies.findByConnection(tenantId, connection.providerConfigKey, connection.connectionId);
    const data = companyDataFrom(connection);
    const saved = !audit
      ? await this.companies.upsertConnection(tenantId, data)
      : await this.dataSource.transaction(async (m) => {
          const row = await this.companies.withManager(m).upsertConnection(tenantId, data);
          if (row)
            await this.audit.record(m, {
              tenantId,
              action: 'company.connect',
              targetType: 'company',
              targetId: row.id,
              changes: auditChanges(before ? { status: before.status, businessName: before.businessName } : null, {
                status: row.status,
                businessName: row.businessName,
                connectionId: row.connectionId,
                providerConfigKey: row.providerConfigKey,
              }),
              actor: audit.actor,
            });
          return row;
        });
    // Another tenant owns this connection: answer exactly like an unknown connection.
    if (!saved) throw new AppException(404, 'NANGO_CONNECTION_NOT_FOUND', 'Nango: Connection not found');
    await this.invalidate(tenantId);
    return { company: CompanyDto.from(saved), created: !before };
  }

  invalidate(tenantId: string): Promise<void> {
    return this.cache.invalidate(companiesCacheNamespace(tenantId));
  }
}
