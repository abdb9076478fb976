import { Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { JobHandlers, JobOf, JobProcessor, QueueProcessor } from '../../../core/queue/job-processor';
import { NangoClient } from '../../nango';
import { NangoError } from '../../nango';
import { CompaniesRepository } from '../companies.repository';
import { CompaniesService } from '../companies.service';
import { SyncEntity, SyncRunError, SyncRunStatus } from '../entities/sync-run.entity';
import { SyncedRecordsRepository } from '../synced-records.repository';
import { SyncRunsRepository } from '../sync-runs.repository';
import { syncSourceFor } from './sync-sources';

const SYNC_CONCURRENCY = 4;

/**
 * Pulls a company's locations, contacts and products through the Nango proxy (Nango adds
 * the provider token; Flowgate never holds it) and upserts them by the provider's id.
 * Each entity is pulled independently: one failing leaves the others' results and makes
 * the run `partial`. The run row records counts and errors.
 */
@QueueProcessor('companySync')
export class CompanySyncProcessor extends JobProcessor<'companySync'> {
  private readonly logger = new Logger(CompanySyncProcessor.name);

  protected readonly handlers: JobHandlers<'companySync'> = { sync: (job) => this.sync(job) };

  constructor(
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    private readonly nango: NangoClient,
    private readonly companies: CompaniesRepository,
    private readonly companiesService: CompaniesService,
    private readonly records: SyncedRecordsRepository,
    private readonly runs: SyncRunsRepository,
  ) {
    super();
  }

  protected concurrency(): number {
    return SYNC_CONCURRENCY;
  }

  async sync(job: JobOf<'companySync', 'sync'>): Promise<{ status: SyncRunStatus; counts: Partial<Record<SyncEntity, number>> }> {
    const { tenantId, companyId, syncRunId } = job.data;
    const company = await this.companies.findById(tenantId, companyId);
    if (!company) return { status: 'failed', counts: {} }; // deleted meanwhile: its runs went with it
    // A run already finished (e.g. marked failed because its enqueue timed out while Redis
    // was away, the job landing later anyway) is not run behind the caller's back.
    const run = await this.runs.findById(tenantId, syncRunId);
    if (!run || (run.status !== 'queued' && run.status !== 'running')) return { status: run?.status ?? 'failed', counts: {} };
    await this.runs.markRunning(tenantId, syncRunId);

    const counts: Partial<Record<SyncEntity, number>> = {};
    const errors: SyncRunError[] = [];
    const source = syncSourceFor(company.provider);
    if (!source) {
      errors.push({ entity: 'connection', message: `provider ${company.provider} has no sync (supported: quickbooks, hubspot)` });
    } else {
      let connectionConfig = company.connectionConfig ?? {};
      if (source.name === 'quickbooks' && !connectionConfig.realmId) {
        // Older rows may lack the realm: ask Nango (credentials are dropped by the client).
        try {
          connectionConfig = (await this.nango.getConnection(company.providerConfigKey, company.connectionId)).connectionConfig;
        } catch (e) {
          errors.push(describe('connection', e));
        }
      }
      if (!errors.length) {
        const ctx = {
          nango: this.nango,
          providerConfigKey: company.providerConfigKey,
          connectionId: company.connectionId,
          connectionConfig,
        };
        for (const entity of source.entities) {
          try {
            counts[entity] = await source.pull(entity, ctx, (rows) =>
              this.records.upsertMany(entity, tenantId, companyId, rows).then(() => undefined),
            );
          } catch (e) {
            errors.push(describe(entity, e));
          }
        }
      }
    }

    const succeeded = Object.keys(counts).length;
    const status: SyncRunStatus = !errors.length ? 'succeeded' : succeeded ? 'partial' : 'failed';
    await this.runs.finish(tenantId, syncRunId, status, counts, errors);
    if (succeeded) await this.companies.recordSynced(tenantId, companyId, new Date());
    await this.companiesService.invalidate(tenantId);
    if (errors.length)
      this.logger.warn(`Sync ${syncRunId} of company ${companyId} ${status}: ${errors.map((e) => `${e.entity}: ${e.message}`).join('; ')}`);
    return { status, counts };
  }
}

function describe(entity: SyncRunError['entity'], e: unknown): SyncRunError {
  if (e instanceof NangoError) return { entity, message: `${e.message}`.slice(0, 500), status: e.status || undefined };
  return { entity, message: ((e as Error)?.message ?? String(e)).slice(0, 500) };
}
