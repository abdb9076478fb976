import { Controller, Get, Header } from '@nestjs/common';
import { ApiExtension, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NO_DEPENDENCIES } from '../openapi/document-finisher';
import { AdminRoute, Public } from '../security/decorators';
import { MetricsService } from './metrics.service';

@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  // Operators only: route names, queue depths and process figures map the system for an attacker.
  @Get()
  @AdminRoute()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  // Scraped from memory: with Redis away the queue gauges keep their last values, so no 503.
  @ApiExtension(NO_DEPENDENCIES, true)
  // Errors (401/404/429) are the usual JSON; only the answer itself is Prometheus text.
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4 (`Content-Type: text/plain; version=0.0.4`)',
    content: {
      'text/plain': {
        schema: {
          type: 'string',
          example:
            '# HELP http_request_duration_seconds HTTP request duration by method, route template and status\n# TYPE http_request_duration_seconds histogram\n',
        },
      },
    },
  })
  @ApiOperation({
    summary: 'Prometheus metrics (X-Admin-Token)',
    description:
      'Every metric of this process in the Prometheus text format: HTTP durations by route template, queue depths (`flowgate_queue_jobs`), database pool, cache and process figures. Needs `X-Admin-Token`; 404 when no ADMIN_TOKEN is configured.',
  })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
