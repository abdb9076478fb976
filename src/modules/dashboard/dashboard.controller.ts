import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import { DashboardDto, DashboardQueryDto } from './dto/dashboard.dto';
import { DashboardService } from './dashboard.service';

// Under executions: the document's tags are a fixed set (document-rules.ts), and this is a summary of runs.
@ApiTags('executions')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiOperation({
    summary: 'Your tenant at a glance: workflows, recent runs, slowest and most failing workflows, queue depth',
    description:
      'Counts of recorded executions received in the last `hours` hours (default 24, at most 168) by status and per hour, the 5 workflows with the highest p95 duration ' +
      'and the 5 with the most failures in that window, and how many of your runs wait in the job queue now (a bounded look: `queue.complete`). Every role may read it. 400 naming `hours` when it is not a whole number from 1 to 168.',
  })
  @ApiOkResponse({ type: DashboardDto, description: 'The summary' })
  @ApiErrors(400)
  get(@CurrentUser() user: AuthUser, @Query() q: DashboardQueryDto): Promise<DashboardDto> {
    return this.dashboard.summary(user, q.hours ?? 24);
  }
}
