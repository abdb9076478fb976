import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { DependencyChecksService } from '../../core/health/dependency-checks.service';
import { SystemReportRegistry } from '../../core/health/system-report.registry';
import { KongAdminClient } from './admin/kong-admin.client';
import { DBLESS_LOCK, DblessConfigService } from './deploy/dbless-config.service';
import { KongService } from './admin/kong-admin.types';
import { FLOWGATE_TAG } from './declarative/operator-base-config';
import { KongDeploymentsRepository } from './kong-deployments.repository';
import { KongTemplatesService } from './kong-templates.service';

const RECONCILE_INTERVAL = 'kong-dbless-reconcile';

/**
 * Reports Kong in /health/detailed and the admin system report, and — with DB-less Kong —
 * keeps Kong holding the tenants' routes: a restarted Kong comes back with only kong/kong.yml,
 * so the api reloads every deployment at start and, every KONG_DBLESS_RECONCILE_SECONDS,
 * reloads again when a service it renders is missing from Kong. Best effort and in the
 * background, so an unreachable Kong never delays Flowgate's start. Safe with several api
 * replicas: a reload is idempotent and runs under the DB-less lock.
 */
@Injectable()
export class KongLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger(KongLifecycle.name);
  private reconciling = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kong: KongAdminClient,
    private readonly checks: DependencyChecksService,
    private readonly report: SystemReportRegistry,
    private readonly deployments: KongDeploymentsRepository,
    private readonly dbless: DblessConfigService,
    private readonly templates: KongTemplatesService,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.kong.configured) return;
    this.checks.registerOptional('kong', async () => {
      await this.kong.status(true);
    });
    this.report.register('kong', async () => ({
      mode: this.kong.mode,
      status: await this.kong.status(true).catch((e: Error) => ({ error: e.message })),
    }));
    if (this.config.role === 'worker') return;
    // Deployments made before webhook-fronting routes carried the gateway secret get theirs
    // (and Kong its route update) before the DB-less reload below.
    const upgraded = this.templates.gateLegacyWebhookFronts().catch((e: Error) => {
      this.logger.warn(
        `Could not give older Kong deployments their gateway secret (their webhooks still accept direct calls; retried at the next start): ${e.message}`,
      );
    });
    if (this.config.kong.mode === 'dbless') {
      // Say at start, not at the first deployment, when the operator's base file is unusable.
      const basePath = this.config.kong.dblessBaseConfig;
      if (basePath) void this.dbless.readBase(basePath).catch(() => undefined);
      void upgraded.then(() => this.reloadDbless());
      const every = this.config.kong.dblessReconcileSeconds;
      // The schedule module owns the timer: it is cleared when the application shuts down.
      if (every > 0) this.scheduler.addInterval(RECONCILE_INTERVAL, setInterval(() => void this.reconcile(), every * 1000).unref());
    }
  }

  /** Reloads when Kong lacks a service Flowgate renders (Kong restarted with kong.yml only). */
  private async reconcile(): Promise<void> {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      const { config } = await this.dbless.render();
      // Flowgate's own services only: the operator's (from the base file) are not tagged flowgate.
      const wanted = config.services.filter((s) => (s.tags as string[] | undefined)?.includes(FLOWGATE_TAG)).map((s) => s.name as string);
      const present = new Set((await this.kong.listByTags<KongService>('/services', [FLOWGATE_TAG])).map((s) => s.name));
      const missing = wanted.filter((n) => !present.has(n));
      if (!missing.length) return;
      this.logger.warn(`Kong is missing ${missing.length} Flowgate service(s) (restarted?); reloading the DB-less config`);
      await this.deployments.withLock(DBLESS_LOCK, () => this.dbless.sync());
    } catch (e) {
      this.logger.debug(`DB-less reconcile skipped: ${(e as Error).message}`);
    } finally {
      this.reconciling = false;
    }
  }

  private async reloadDbless(): Promise<void> {
    try {
      const active = await this.deployments.listActiveForDeclarativeConfig();
      if (!active.length) return;
      await this.deployments.withLock(DBLESS_LOCK, () => this.dbless.sync());
    } catch (e) {
      this.logger.warn({ err: e }, 'Could not reload the DB-less Kong config at start');
    }
  }
}
