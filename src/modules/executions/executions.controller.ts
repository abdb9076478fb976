import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import { WorkflowStatsDto } from '../workflows/dto/workflow.dto';
import { AcceptedDto, DryRunResultDto, ExecutionDetailDto, LogsPageDto, LogsQueryDto, RunPayloadDto } from './dto/execution.dto';
import { ExecutionsService } from './executions.service';
import { checkIdempotencyKey } from './idempotency-key';

@ApiTags('executions')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api')
export class ExecutionsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Get('logs')
  @ApiOperation({ summary: 'Execution log, newest first', description: 'Filters combine; pages follow `nextCursor`.' })
  @ApiOkResponse({ type: LogsPageDto })
  @ApiErrors(400)
  logs(@CurrentUser() user: AuthUser, @Query() q: LogsQueryDto): Promise<LogsPageDto> {
    return this.executions.logs(user, q);
  }

  @Get('executions/:id')
  @ApiOperation({ summary: 'One execution with per-step input, output, status, duration and error' })
  @ApiOkResponse({ type: ExecutionDetailDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<ExecutionDetailDto> {
    return this.executions.get(user, id);
  }

  @Post('executions/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run again with the same input', description: 'A new execution (trigger `retry`, `retryOf` = this id) with the current workflow version.' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(400, 404, 409, 503)
  retry(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<AcceptedDto> {
    return this.executions.retry(user, id);
  }
}

@ApiTags('workflows')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/workflows')
export class WorkflowRunsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Post(':id/run')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run now with a payload (queued like a webhook event)', description: 'Works on inactive workflows too. Answers once the job is stored.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat within 24 h returns the first execution id and runs nothing' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors(400, 404, 503)
  async run(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: RunPayloadDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedDto> {
    const { executionId, duplicate } = await this.executions.run(user, id, dto?.payload ?? null, checkIdempotencyKey(idempotencyKey));
    if (duplicate) reply.header('Idempotent-Replayed', 'true');
    return { executionId };
  }

  @Post(':id/dry-run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Try the workflow now, synchronously',
    description: 'Runs every step with this payload (connectors are really called) and answers each step’s rendered input, output, status and duration. Writes no execution.',
  })
  @ApiOkResponse({ type: DryRunResultDto })
  @ApiErrors(400, 404)
  dryRun(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: RunPayloadDto): Promise<DryRunResultDto> {
    return this.executions.dryRun(user, id, dto?.payload ?? null);
  }

  @Get(':id/stats')
  @ApiOperation({ summary: 'Run statistics: counts by status, success rate, last run, p50/p95 duration' })
  @ApiOkResponse({ type: WorkflowStatsDto })
  @ApiErrors(400, 404)
  stats(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WorkflowStatsDto> {
    return this.executions.stats(user, id);
  }
}
