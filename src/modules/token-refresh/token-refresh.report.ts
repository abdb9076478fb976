import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { withDeadline } from '../../core/async/deadline';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { SystemReportRegistry } from '../../core/health/system-report.registry';
import { QueueService } from '../../core/queue/queue.module';
import { CompaniesRepository } from '../companies';
import { NangoClient } from '../nango';
import { missingNangoSettings } from '../nango';

/** The `nango` section of GET /api/admin/system/health: reachability and refresh figures. */
@Injectable()
export class TokenRefreshReport implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SystemReportRegistry,
    private readonly companies: CompaniesRepository,
    private readonly queues: QueueService,
    private readonly nango: NangoClient,
  ) {}

  onModuleInit(): void {
    this.registry.register('nango', () => this.collect());
  }

  async collect() {
    const missing = missingNangoSettings(this.config, ['api', 'webhook']);
    const now = Date.now();
    const [reachable, companies, lastHour, queue] = await Promise.all([
      this.reachability(),
      this.companies.countByStatus(),
      this.companies.refreshStats(new Date(now - 3600_000), new Date(now + this.config.marketplace.refreshWindowMinutes * 60_000)),
      this.queues
        .queue('tokenRefresh')
        .getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized')
        .catch((e: Error) => ({ error: e.message })),
    ]);
    return {
      configured: missing.length === 0,
      missingSettings: missing,
      host: this.config.nango.host ?? null,
      reachable,
      companies,
      refresh: {
        windowMinutes: this.config.marketplace.refreshWindowMinutes,
        concurrency: this.config.marketplace.refreshConcurrency,
        lastHour: { succeeded: lastHour.succeeded, failed: lastHour.failed },
        dueWithinWindow: lastHour.dueWithinWindow,
        queue,
      },
    };
  }

  private async reachability(): Promise<{ status: 'up' | 'down' | 'not_configured'; latencyMs?: number; error?: string }> {
    if (missingNangoSettings(this.config, ['api']).length) return { status: 'not_configured' };
    const start = performance.now();
    try {
      await withDeadline(this.nango.ping(), 2000);
      return { status: 'up', latencyMs: Math.round(performance.now() - start) };
    } catch (e) {
      return { status: 'down', latencyMs: Math.round(performance.now() - start), error: (e as Error).message.slice(0, 200) };
    }
  }
}
