import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  // Errors (401/404) are the usual JSON; only the answer itself is Prometheus text.
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiOperation({ summary: 'Prometheus metrics (X-Admin-Token)' })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
