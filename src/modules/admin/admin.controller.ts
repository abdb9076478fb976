import { Controller, Get } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NO_DEPENDENCIES } from '../../core/openapi/document-finisher';
import { AdminRoute } from '../../core/security/decorators';
import { AdminService } from './admin.service';
import { DependencyStatusDto } from '../../core/health/dto/health.dto';
import { QueuesUnavailableDto, SystemHealthDto } from './dto/system-health.dto';

@ApiTags('admin')
@ApiExtraModels(DependencyStatusDto, QueuesUnavailableDto) // schemas SystemHealthDto refers to by name
@AdminRoute()
@Controller('api/admin/system')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('health')
  // Outages are what this report is for: they are in the 200 answer, never a 503.
  @ApiExtension(NO_DEPENDENCIES, true)
  @ApiOperation({
    summary: 'Operator view: dependencies with latency, queue counts, memory, uptime, version',
    description:
      'Checks every dependency now (PostgreSQL, Redis, and Nango and Kong when configured) and reports each with its latency and error, the job counts of every queue, process figures, and the sections features add (`nango`, `kong`). Answers 200 with `status: degraded` while PostgreSQL or Redis is down. Needs `X-Admin-Token`; 404 when no ADMIN_TOKEN is configured.',
  })
  @ApiOkResponse({ type: SystemHealthDto, description: 'The system report' })
  health(): Promise<SystemHealthDto> {
    return this.admin.systemHealth();
  }
}
