import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { CompanyEntity, CompanyStatus } from './entities/company.entity';

export interface CompanyConnectionData {
  connectionId: string;
  providerConfigKey: string;
  provider: string;
  businessName: string | null;
  connectionConfig: Record<string, unknown>;
  tokenExpiresAt: Date | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Companies. Tenant-facing methods take the tenant id first; the few system methods (webhook
 * lookup, refresh sweep, admin views, cleanup) say so in their names.
 */
@Injectable()
export class CompaniesRepository {
  constructor(@InjectRepository(CompanyEntity) private readonly repo: Repository<CompanyEntity>) {}

  /** The same methods inside the caller's transaction (the change and its audit row commit together). */
  withManager(manager: EntityManager): CompaniesRepository {
    return new CompaniesRepository(manager.getRepository(CompanyEntity));
  }

  async list(
    tenantId: string,
    opts: { offset: number; limit: number; search?: string; status?: CompanyStatus },
  ): Promise<Page<CompanyEntity>> {
    const qb = this.repo.createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId });
    if (opts.status) qb.andWhere('c.status = :status', { status: opts.status });
    if (opts.search) {
      const like = `%${opts.search.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
      qb.andWhere(new Brackets((w) => w.where('c.business_name ILIKE :like', { like }).orWhere('c.connection_id ILIKE :like', { like })));
    }
    const [items, total] = await qb
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .skip(opts.offset)
      .take(opts.limit)
      .getManyAndCount();
    return { items, total };
  }

  findById(tenantId: string, id: string): Promise<CompanyEntity | null> {
    return this.repo.findOne({ where: { tenantId, id } });
  }

  findByConnection(tenantId: string, providerConfigKey: string, connectionId: string): Promise<CompanyEntity | null> {
    return this.repo.findOne({ where: { tenantId, providerConfigKey, connectionId } });
  }

  /** System (webhook): which tenant owns this connection, if any. */
  findByConnectionForWebhook(providerConfigKey: string, connectionId: string): Promise<CompanyEntity | null> {
    return this.repo.findOne({ where: { providerConfigKey, connectionId } });
  }

  /**
   * Creates or updates the tenant's company for a Nango connection and makes it active again
   * (a new authorization clears `needs_reauth`). Answers null when ANOTHER tenant owns the
   * connection: a connection belongs to one tenant only.
   */
  async upsertConnection(tenantId: string, d: CompanyConnectionData): Promise<CompanyEntity | null> {
    const rows: Array<{ id: string }> = await this.repo.query(
      `INSERT INTO companies (tenant_id, connection_id, provider_config_key, provider, business_name, connection_config, token_expires_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'active')
       ON CONFLICT (provider_config_key, connection_id) DO UPDATE SET
         provider = EXCLUDED.provider,
         business_name = COALESCE(EXCLUDED.business_name, companies.business_name),
         connection_config = EXCLUDED.connection_config,
         token_expires_at = COALESCE(EXCLUDED.token_expires_at, companies.token_expires_at),
         status = 'active',
         refresh_failures = 0,
         last_refresh_error = NULL,
         updated_at = now()
       WHERE companies.tenant_id = EXCLUDED.tenant_id
       RETURNING id`,
      [
        tenantId,
        d.connectionId,
        d.providerConfigKey,
        d.provider,
        d.businessName,
        JSON.stringify(d.connectionConfig ?? {}),
        d.tokenExpiresAt,
      ],
    );
    return rows[0] ? this.findById(tenantId, rows[0].id) : null;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const res = await this.repo.delete({ tenantId, id });
    return (res.affected ?? 0) > 0;
  }

  async setStatus(tenantId: string, id: string, status: CompanyStatus, error?: string): Promise<void> {
    await this.repo.update({ tenantId, id }, { status, ...(error !== undefined ? { lastRefreshError: error.slice(0, 2000) } : {}) });
  }

  async recordSynced(tenantId: string, id: string, at: Date): Promise<void> {
    await this.repo.update({ tenantId, id }, { lastSyncedAt: at });
  }

  async recordRefreshSuccess(tenantId: string, id: string, expiresAt: Date | null): Promise<void> {
    await this.repo.update(
      { tenantId, id },
      {
        lastRefreshAt: new Date(),
        lastRefreshStatus: 'succeeded',
        lastRefreshError: null,
        refreshFailures: 0,
        ...(expiresAt ? { tokenExpiresAt: expiresAt } : {}),
      },
    );
  }

  /** Records a failed refresh; `status` moves the company out of the sweep (needs_reauth, revoked). */
  async recordRefreshFailure(tenantId: string, id: string, error: string, status?: CompanyStatus): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update(CompanyEntity)
      .set({
        lastRefreshAt: () => 'now()',
        lastRefreshStatus: 'failed',
        lastRefreshError: error.slice(0, 2000),
        refreshFailures: () => 'refresh_failures + 1',
        ...(status ? { status } : {}),
      })
      .where('tenant_id = :tenantId AND id = :id', { tenantId, id })
      .execute();
  }

  /**
   * Nango reported that it could not refresh the token (auth webhook): an active company
   * becomes `needs_reauth` and the failure is counted once. A company already flagged (or
   * revoked) is left as it is, so the same report delivered twice never counts twice.
   */
  async flagNeedsReauth(tenantId: string, id: string, error: string): Promise<void> {
    await this.repo.query(
      `UPDATE companies SET status = 'needs_reauth', last_refresh_at = now(), last_refresh_status = 'failed', last_refresh_error = $3,
         refresh_failures = refresh_failures + 1, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status = 'active'`,
      [tenantId, id, error.slice(0, 2000)],
    );
  }

  /** The connection was deleted at Nango: the company stays (with its synced data) as `revoked`. */
  async markRevoked(tenantId: string, id: string): Promise<void> {
    await this.repo.query(
      `UPDATE companies SET status = 'revoked', updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status <> 'revoked'`,
      [tenantId, id],
    );
  }

  /** System (refresh sweep): active companies whose token expires before `before`, keyset-paged by id. */
  findDueForRefresh(before: Date, afterId: string | null, limit: number): Promise<Array<Pick<CompanyEntity, 'id' | 'tenantId'>>> {
    const qb = this.repo
      .createQueryBuilder('c')
      .select(['c.id', 'c.tenantId'])
      .where(`c.status = 'active'`)
      .andWhere('c.token_expires_at IS NOT NULL AND c.token_expires_at <= :before', { before });
    if (afterId) qb.andWhere('c.id > :afterId', { afterId });
    return qb.orderBy('c.id', 'ASC').take(limit).getMany();
  }

  /** System (admin refresh-all): every active company, keyset-paged by id. */
  findActive(afterId: string | null, limit: number): Promise<Array<Pick<CompanyEntity, 'id' | 'tenantId'>>> {
    const qb = this.repo.createQueryBuilder('c').select(['c.id', 'c.tenantId']).where(`c.status = 'active'`);
    if (afterId) qb.andWhere('c.id > :afterId', { afterId });
    return qb.orderBy('c.id', 'ASC').take(limit).getMany();
  }

  /** System (admin): every company across tenants, newest first. */
  listAllForAdmin(opts: { offset: number; limit: number; status?: CompanyStatus }): Promise<[CompanyEntity[], number]> {
    const qb = this.repo.createQueryBuilder('c');
    if (opts.status) qb.where('c.status = :status', { status: opts.status });
    return qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'ASC').skip(opts.offset).take(opts.limit).getManyAndCount();
  }

  /** System (stats): companies per status. */
  async countByStatus(): Promise<Record<CompanyStatus, number>> {
    const rows: Array<{ status: CompanyStatus; n: string }> = await this.repo.query(
      `SELECT status, count(*) AS n FROM companies GROUP BY status`,
    );
    const out: Record<CompanyStatus, number> = { active: 0, needs_reauth: 0, revoked: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /** System (stats): refresh outcomes since `since`, and active tokens expiring before `before`. */
  async refreshStats(since: Date, before: Date): Promise<{ succeeded: number; failed: number; dueWithinWindow: number }> {
    const [r] = await this.repo.query(
      `SELECT
         count(*) FILTER (WHERE last_refresh_at >= $1 AND last_refresh_status = 'succeeded') AS succeeded,
         count(*) FILTER (WHERE last_refresh_at >= $1 AND last_refresh_status = 'failed') AS failed,
         count(*) FILTER (WHERE status = 'active' AND token_expires_at <= $2) AS due
       FROM companies`,
      [since, before],
    );
    return { succeeded: Number(r.succeeded), failed: Number(r.failed), dueWithinWindow: Number(r.due) };
  }

  /**
   * System (daily cleanup): companies whose connection Nango no longer has become `revoked`.
   * Companies created after `createdBefore` are left alone (their connection may be brand new).
   * Answers the affected (tenant, id) pairs so caches can be dropped.
   */
  async markRevokedUnless(
    present: Array<{ providerConfigKey: string; connectionId: string }>,
    createdBefore: Date,
  ): Promise<Array<{ id: string; tenantId: string }>> {
    // TypeORM answers [rows, rowCount] for UPDATE ... RETURNING on PostgreSQL.
    const [rows]: [Array<{ id: string; tenant_id: string }>, number] = await this.repo.query(
      `UPDATE companies c SET status = 'revoked', updated_at = now()
       WHERE c.status <> 'revoked' AND c.created_at < $3
         AND NOT EXISTS (
           SELECT 1 FROM unnest($1::text[], $2::text[]) AS p(pck, cid)
           WHERE p.pck = c.provider_config_key AND p.cid = c.connection_id)
       RETURNING c.id, c.tenant_id`,
      [present.map((p) => p.providerConfigKey), present.map((p) => p.connectionId), createdBefore],
    );
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
  }
}
