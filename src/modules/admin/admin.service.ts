import { Inject, Injectable } from '@nestjs/common';
import { withDeadline } from '../../core/async/deadline';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { DependencyChecksService } from '../../core/health/dependency-checks.service';
import { SystemReportRegistry } from '../../core/health/system-report.registry';
import { QueueService } from '../../core/queue/queue.module';
import { SystemHealthDto } from './dto/system-health.dto';

/** BullMQ waits for Redis forever; the report answers without the counts instead. */
const QUEUE_COUNTS_DEADLINE_MS = 2000;

@Injectable()
export class AdminService {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checks: DependencyChecksService,
    private readonly queues: QueueService,
    private readonly sections: SystemReportRegistry,
  ) {}

  async systemHealth(): Promise<SystemHealthDto> {
    const [dependencies, queues, extra] = await Promise.all([
      this.checks.all(),
      withDeadline(this.queues.counts(), QUEUE_COUNTS_DEADLINE_MS).catch((e: Error) => ({
        error: `queue counts unavailable: ${e.message}`,
      })),
      this.sections.collect(),
    ]);
    const mem = process.memoryUsage();
    const down = Object.entries(dependencies).filter(([name, d]) => d.status === 'down' && ['database', 'redis'].includes(name));
    return {
      status: down.length ? 'degraded' : 'ok',
      version: this.config.version,
      environment: this.config.env,
      role: this.config.role,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, externalBytes: mem.external },
      dependencies,
      queues,
      ...extra,
    };
  }
}
