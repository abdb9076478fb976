import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Counter } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { MetricsService } from '../../core/metrics/metrics.service';
import { QueueService } from '../../core/queue/queue.module';
import { REDIS } from '../../core/redis/redis.module';
import { CompaniesRepository } from '../companies';
import { CompaniesService } from '../companies';
import { SyncRunsRepository } from '../companies';
import { WebhookDeliveriesRepository } from '../companies';
import { NangoClient } from '../nango';
import { NangoError } from '../nango';
import { manualRefreshJobId, refreshJobId } from './refresh-job-id';

const PAGE = 1000;
/** The 503 (refresh-all) or the failed sweep's reason when Redis does not take the jobs. */
export const REFRESH_NOT_QUEUED = 'Refresh jobs could not be queued (Redis unavailable); try again shortly';
/** A sweep's job for a company refreshed successfully this recently is a no-op. */
const RECENT_REFRESH_MS = 15 * 60 * 1000;
/** Companies younger than this are never flagged revoked (Nango's list may lag a new connection). */
const REVOKE_GRACE_MS = 10 * 60 * 1000;
/** Webhook delivery keys matter for minutes (see NangoWebhookService); a day is plenty. */
const WEBHOOK_DELIVERY_RETENTION_MS = 24 * 3600 * 1000;
/** A claim outlives its hour bucket, like the completed job it stands for. */
const CLAIM_TTL_SECONDS = 2 * 3600;
/** A refresh job that finds its company being refreshed waits this long, then tries again. */
export const REFRESH_BUSY_DELAY_MS = 1000;

export type RefreshOutcome = 'succeeded' | 'skipped' | 'needs_reauth' | 'not_found' | 'busy';

/**
 * The `outcome` label of flowgate_token_refreshes_total: every refresh job attempt ends as one.
 * `busy`: another worker was refreshing the company (the job tries again shortly);
 * `transient_error`: Nango was unavailable (retried with backoff); `failed`: anything else that
 * threw (an unrecoverable Nango answer, or a failure of Flowgate's own).
 */
type RefreshMetricOutcome = 'refreshed' | 'skipped' | 'needs_reauth' | 'not_found' | 'busy' | 'transient_error' | 'failed';
const METRIC_OUTCOME: Record<RefreshOutcome, RefreshMetricOutcome> = {
  succeeded: 'refreshed',
  skipped: 'skipped',
  needs_reauth: 'needs_reauth',
  not_found: 'not_found',
  busy: 'busy',
};

export interface EnqueueResult {
  /** Companies considered. */
  companies: number;
  /** New refresh jobs added. */
  enqueued: number;
  /** Already had this hour's job (queued, running or done). */
  alreadyQueued: number;
}

/** How the jobs of one enqueue are named, and whether they are forced. */
interface EnqueueMode {
  jobId: (companyId: string) => string;
  /** Claim each id in Redis first (the hourly sweep), so overlapping sweeps split the work. */
  claim: boolean;
  force: boolean;
}

/**
 * Keeps Nango connections healthy. The hourly sweep and the admin refresh-all only enqueue;
 * workers force the refresh through Nango with bounded concurrency and record the outcome.
 * Flowgate stores no token: only its expiry.
 *
 * The scheduled sweep enqueues one job per company per hour (atomic claim + stable job id),
 * so overlapping sweeps never double up. An operator's refresh-all is an explicit request for
 * a refresh now: every call enqueues its own jobs (ids carry a per-call sweep id), even twice
 * in an hour. Whatever enqueued them, a company is never refreshed by two jobs at once: each
 * refresh holds a per-company Redis lock, and a job that finds it taken waits its turn
 * (delayed, no attempt spent).
 */
@Injectable()
export class TokenRefreshService {
  private readonly logger = new Logger(TokenRefreshService.name);
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly companies: CompaniesRepository,
    private readonly companiesService: CompaniesService,
    private readonly runs: SyncRunsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly queues: QueueService,
    private readonly nango: NangoClient,
    @Inject(REDIS) private readonly redis: Redis,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.counter(
      'flowgate_token_refreshes_total',
      'Token refresh job attempts by outcome (refreshed, skipped, needs_reauth, not_found, transient_error, failed)',
      ['outcome'],
    );
  }

  /** Sweep: active companies whose token expires within the window. */
  enqueueDue(now = new Date()): Promise<EnqueueResult> {
    const before = new Date(now.getTime() + this.config.marketplace.refreshWindowMinutes * 60_000);
    return this.enqueuePaged((after) => this.companies.findDueForRefresh(before, after, PAGE), {
      jobId: (id) => refreshJobId(id, now),
      claim: true,
      force: false,
    });
  }

  /** Admin refresh-all: a forced refresh of every active company, whatever its expiry, on every call. */
  async enqueueAll(): Promise<{ companies: number; enqueued: number; sweepId: string }> {
    const sweepId = randomUUID();
    const { companies, enqueued } = await this.enqueuePaged((after) => this.companies.findActive(after, PAGE), {
      jobId: (id) => manualRefreshJobId(id, sweepId),
      claim: false,
      force: true,
    });
    return { companies, enqueued, sweepId };
  }

  private async enqueuePaged(
    page: (afterId: string | null) => Promise<Array<{ id: string; tenantId: string }>>,
    mode: EnqueueMode,
  ): Promise<EnqueueResult> {
    const total: EnqueueResult = { companies: 0, enqueued: 0, alreadyQueued: 0 };
    let after: string | null = null;
    for (;;) {
      const batch = await page(after);
      if (!batch.length) break;
      const r = await this.enqueueBatch(batch, mode);
      total.companies += batch.length;
      total.enqueued += r.enqueued;
      total.alreadyQueued += r.alreadyQueued;
      after = batch[batch.length - 1].id;
      if (batch.length < PAGE) break;
    }
    return total;
  }

  private async enqueueBatch(batch: Array<{ id: string; tenantId: string }>, mode: EnqueueMode) {
    const fresh = mode.claim ? await this.claim(batch, mode) : batch;
    if (fresh.length) {
      const jobs = fresh.map((c) => ({
        name: 'refresh' as const,
        data: { tenantId: c.tenantId, companyId: c.id, ...(mode.force ? { force: true } : {}) },
        opts: {
          jobId: mode.jobId(c.id),
          attempts: 3,
          backoff: { type: 'exponential', delay: 2000 },
          // Kept past the hour so a later sweep in the same hour still finds the id.
          removeOnComplete: { age: 2 * 3600 },
          removeOnFail: { age: 24 * 3600 },
        },
      }));
      try {
        await this.queues.addBulkWithin(this.queues.deadline(REFRESH_NOT_QUEUED), 'tokenRefresh', jobs);
      } catch (e) {
        // Not stored: release the claims so the next sweep (or a retry) can enqueue them.
        if (mode.claim) await this.redis.del(...jobs.map((j) => `claim:${j.opts.jobId}`)).catch(() => undefined);
        throw e;
      }
    }
    return { enqueued: fresh.length, alreadyQueued: batch.length - fresh.length };
  }

  /**
   * Claims each job id atomically so overlapping sweeps split the work and report exact
   * counts; answers the companies whose claim this call won. BullMQ also ignores an add whose
   * job id exists: a second safeguard.
   */
  private async claim(batch: Array<{ id: string; tenantId: string }>, mode: EnqueueMode) {
    const pipe = this.redis.pipeline();
    for (const c of batch) pipe.set(`claim:${mode.jobId(c.id)}`, '1', 'EX', CLAIM_TTL_SECONDS, 'NX');
    const claims = (await pipe.exec()) ?? [];
    return batch.filter((_, i) => !claims[i]?.[0] && claims[i]?.[1] === 'OK');
  }

  /**
   * Forces one company's refresh through Nango and records the outcome. Exhausted or
   * rejected credentials make the company `needs_reauth` (not retried until a new auth
   * webhook); a connection Nango does not find is recorded (the daily cleanup flags it
   * `revoked`); a transient failure is recorded and thrown so BullMQ retries it with backoff.
   * `busy`: another job is refreshing this company right now (the caller retries later).
   */
  async refresh(tenantId: string, companyId: string, force = false): Promise<RefreshOutcome> {
    try {
      const outcome = await this.refreshWithLock(tenantId, companyId, force);
      this.outcomes.inc({ outcome: METRIC_OUTCOME[outcome] });
      return outcome;
    } catch (e) {
      this.outcomes.inc({ outcome: e instanceof NangoError && e.transient ? 'transient_error' : 'failed' });
      throw e;
    }
  }

  /** One refresh of a company at a time, across every worker. */
  private async refreshWithLock(tenantId: string, companyId: string, force: boolean): Promise<RefreshOutcome> {
    const lock = await this.lockCompany(companyId);
    if (!lock) return 'busy';
    try {
      return await this.refreshOnce(tenantId, companyId, force);
    } finally {
      await this.unlockCompany(companyId, lock).catch(() => undefined); // expires by itself otherwise
    }
  }

  private async refreshOnce(tenantId: string, companyId: string, force: boolean): Promise<RefreshOutcome> {
    const company = await this.companies.findById(tenantId, companyId);
    if (!company || company.status !== 'active') return 'skipped';
    if (
      !force &&
      company.lastRefreshStatus === 'succeeded' &&
      company.lastRefreshAt &&
      Date.now() - company.lastRefreshAt.getTime() < RECENT_REFRESH_MS
    ) {
      return 'skipped';
    }
    try {
      const info = await this.nango.refreshConnection(company.providerConfigKey, company.connectionId);
      await this.companies.recordRefreshSuccess(tenantId, companyId, info.tokenExpiresAt);
      await this.companiesService.invalidate(tenantId);
      return 'succeeded';
    } catch (e) {
      const err = e instanceof NangoError ? e : new NangoError(0, 'client_error', (e as Error).message);
      const why = `Nango: ${err.message} (${err.status || err.code})`;
      if (err.needsReauth) {
        await this.companies.recordRefreshFailure(tenantId, companyId, why, 'needs_reauth');
        await this.companiesService.invalidate(tenantId);
        return 'needs_reauth';
      }
      if (err.notFound) {
        // Recorded, not acted on: the daily cleanup alone decides `revoked`, from Nango's full
        // list and with a grace period, so one odd answer cannot revoke a live connection.
        await this.companies.recordRefreshFailure(tenantId, companyId, why);
        await this.companiesService.invalidate(tenantId);
        return 'not_found';
      }
      await this.companies.recordRefreshFailure(tenantId, companyId, why);
      await this.companiesService.invalidate(tenantId);
      if (err.transient) throw err; // BullMQ retries with backoff; the next sweep tries again too
      throw new UnrecoverableError(why);
    }
  }

  /**
   * One refresh per company at a time, across workers and whoever enqueued the job. The lock
   * outlives the one Nango call a refresh makes, and expires on its own if a worker dies.
   */
  private async lockCompany(companyId: string): Promise<string | null> {
    const token = randomUUID();
    const ttlMs = this.config.nango.timeoutMs + 30_000;
    return (await this.redis.set(`refresh-lock:${companyId}`, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
  }

  private async unlockCompany(companyId: string, token: string): Promise<void> {
    await this.redis.eval(
      `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`,
      1,
      `refresh-lock:${companyId}`,
      token,
    );
  }

  /**
   * Daily: companies whose connection Nango no longer lists become `revoked`; old sync runs
   * and webhook digests are pruned.
   */
  async cleanup(now = new Date()): Promise<{ revoked: number; syncRunsPruned: number; webhookDeliveriesPruned: number }> {
    const present = await this.nango.listAllConnections();
    let revoked: Array<{ id: string; tenantId: string }> = [];
    const byStatus = await this.companies.countByStatus();
    if (!present.length && byStatus.active + byStatus.needs_reauth > 0) {
      // An empty list while companies exist is more likely a wrong key or environment than
      // every customer leaving at once: do not mass-revoke on it.
      this.logger.warn('Nango listed no connections while companies exist: revocation check skipped');
    } else {
      revoked = await this.companies.markRevokedUnless(present, new Date(now.getTime() - REVOKE_GRACE_MS));
      for (const tenantId of new Set(revoked.map((r) => r.tenantId))) await this.companiesService.invalidate(tenantId);
    }
    const syncRunsPruned = await this.runs.pruneOlderThan(
      new Date(now.getTime() - this.config.marketplace.syncRunRetentionDays * 86_400_000),
    );
    const webhookDeliveriesPruned = await this.deliveries.pruneOlderThan(new Date(now.getTime() - WEBHOOK_DELIVERY_RETENTION_MS));
    if (revoked.length) this.logger.log(`Cleanup flagged ${revoked.length} revoked connection(s)`);
    return { revoked: revoked.length, syncRunsPruned, webhookDeliveriesPruned };
  }
}
