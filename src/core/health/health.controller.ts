import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck } from '@nestjs/terminus';
import { ApiExtension, ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { NO_DEPENDENCIES } from '../openapi/document-finisher';
import { AdminRoute, Public } from '../security/decorators';
import { DependencyChecksService } from './dependency-checks.service';
import { checkReadiness } from './readiness';
import { DependencyStatusDto, DetailedHealthDto, HealthOkDto, ReadyDto } from './dto/health.dto';

@ApiTags('health')
@ApiExtraModels(DependencyStatusDto) // the `dependencies` map refers to it by name
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checks: DependencyChecksService,
  ) {}

  // The probes below are public (orchestrators and load balancers call them without
  // credentials), so they say up or down and nothing else: no version, no addresses, no
  // error text. /health/detailed, behind the admin token, has the rest.
  @Get()
  @ApiExtension(NO_DEPENDENCIES, true)
  @ApiOperation({
    summary: 'Basic health: the process answers',
    description:
      'Answers `{"status":"ok"}` whenever the HTTP server runs, also while PostgreSQL or Redis is away. No credentials, never throttled.',
  })
  @ApiOkResponse({ type: HealthOkDto, description: 'The process answers' })
  basic(): HealthOkDto {
    return { status: 'ok' };
  }

  @Get('live')
  @ApiExtension(NO_DEPENDENCIES, true)
  @ApiOperation({
    summary: 'Liveness probe',
    description:
      'For orchestrators: `{"status":"ok"}` while the process runs, whatever its dependencies do (restart it only when this stops answering).',
  })
  @ApiOkResponse({ type: HealthOkDto, description: 'Alive' })
  live(): HealthOkDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false }) // documented below with the shared error body
  @ApiOperation({
    summary: 'Readiness: PostgreSQL and Redis answer',
    description:
      'For load balancers: 200 when PostgreSQL and Redis both answer within 1.5 s, else 503 NOT_READY whose `details` name each dependency with `status` up or down. Up or down only, never error text.',
  })
  @ApiOkResponse({ type: ReadyDto, description: 'Ready: every required dependency is up' })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: a dependency is down; `details` names each with its status',
    type: ErrorResponseDto,
  })
  async ready(): Promise<ReadyDto> {
    const readiness = await checkReadiness(this.checks);
    if (!readiness.ready) throw readiness.error;
    return readiness.body;
  }

  @Get('detailed')
  @AdminRoute()
  @SkipThrottle({ default: false }) // throttled like the admin API: it takes the admin token
  // A dependency that is down is reported in the 200 answer (`degraded`), never as a 503.
  @ApiExtension(NO_DEPENDENCIES, true)
  @ApiOperation({
    summary: 'Every dependency with its latency and error, plus process figures (X-Admin-Token)',
    description:
      'Answers 200 also when dependencies are down: `status` is `degraded` when PostgreSQL or Redis is, and each dependency says `up` or `down` with its latency and error. Dependencies are checked at most once per HEALTH_DETAILED_CACHE_MS (default 5 s); repeated calls reuse that result. 404 when no ADMIN_TOKEN is configured.',
  })
  @ApiOkResponse({
    type: DetailedHealthDto,
    description: 'Status, version, role, uptime, memory, and each dependency with `status`, `latencyMs` and `error`',
  })
  async detailed(): Promise<DetailedHealthDto> {
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
