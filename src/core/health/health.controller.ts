import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppException } from '../errors/app-exception';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { Public } from '../security/decorators';
import { DependencyChecksService } from './dependency-checks.service';

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checks: DependencyChecksService,
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Basic health: the process answers' })
  basic() {
    return { status: 'ok', version: this.config.version, role: this.config.role, uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness probe' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer' })
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `details` names it', type: ErrorResponseDto })
  async ready() {
    const deps = await this.checks.required();
    const result = await this.health
      .check(
        Object.entries(deps).map(([name, d]) => () => {
          const i = this.indicator.check(name);
          return d.status === 'up' ? i.up({ latencyMs: d.latencyMs }) : i.down({ error: d.error });
        }),
      )
      .catch(() => null);
    if (!result) {
      const down = Object.entries(deps).filter(([, d]) => d.status === 'down');
      throw new AppException(503, 'NOT_READY', `Not ready: ${down.map(([n, d]) => `${n} is down (${d.error})`).join('; ')}`, deps);
    }
    return { status: 'ok', dependencies: deps };
  }

  @Get('detailed')
  @ApiOperation({ summary: 'Every dependency with its latency, plus process figures' })
  async detailed() {
    const dependencies = await this.checks.all();
    const requiredDown = ['database', 'redis'].some((k) => dependencies[k]?.status === 'down');
    const mem = process.memoryUsage();
    return {
      status: requiredDown ? 'degraded' : 'ok',
      version: this.config.version,
      role: this.config.role,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal },
      dependencies,
    };
  }
}
