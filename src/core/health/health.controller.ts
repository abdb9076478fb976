import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppException } from '../errors/app-exception';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AdminRoute, Public } from '../security/decorators';
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

  // The probes below are public (orchestrators and load balancers call them without
  // credentials), so they say up or down and nothing else: no version, no addresses, no
  // error text. /health/detailed, behind the admin token, has the rest.
  @Get()
  @ApiOperation({ summary: 'Basic health: the process answers' })
  basic() {
    return { status: 'ok' };
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
    // Up or down only: a driver's error can quote internal host names and addresses.
    const deps = Object.fromEntries(Object.entries(await this.checks.required()).map(([name, d]) => [name, { status: d.status }]));
    const result = await this.health
      .check(
        Object.entries(deps).map(([name, d]) => () => {
          const i = this.indicator.check(name);
          return d.status === 'up' ? i.up() : i.down();
        }),
      )
      .catch(() => null);
    if (!result) {
      const down = Object.entries(deps).filter(([, d]) => d.status === 'down');
      throw new AppException(503, 'NOT_READY', `Not ready: ${down.map(([n]) => `${n} is down`).join('; ')}`, Object.entries(deps).map(([name, d]) => ({ field: name, message: d.status, status: d.status })));
    }
    return { status: 'ok', dependencies: deps };
  }

  @Get('detailed')
  @AdminRoute()
  @SkipThrottle({ default: false }) // throttled like the admin API: it takes the admin token
  @ApiOperation({
    summary: 'Every dependency with its latency and error, plus process figures (X-Admin-Token)',
    description: 'Dependencies are checked at most once per HEALTH_DETAILED_CACHE_MS (default 5 s); repeated calls reuse that result.',
  })
  @ApiOkResponse({ description: 'Status, version, role, uptime, memory, and each dependency with `status`, `latencyMs` and `error`' })
  async detailed() {
    const dependencies = await this.checks.allCached(this.config.health.detailedCacheMs);
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
