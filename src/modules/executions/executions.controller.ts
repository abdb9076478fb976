import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import {
  AcceptedDto,
  DryRunRequestDto,
  DryRunResultDto,
  ExecutionDetailDto,
  LogsPageDto,
  LogsQueryDto,
  QueueScanDto,
  RunPayloadDto,
  StepErrorDto,
} from './dto/execution.dto';
import { WorkflowStatsDto } from './dto/workflow-stats.dto';
import { ExecutionsService } from './executions.service';
import { checkIdempotencyKey } from './idempotency-key';

const EXECUTION_ID = ApiParam({
  name: 'id',
  format: 'uuid',
  description: 'Execution id (the `executionId` of a 202, or an `id` from GET /api/logs)',
});
const WORKFLOW_ID = ApiParam({ name: 'id', format: 'uuid', description: 'Workflow id' });

// Nullable references (anyOf) are not followed by the scanner: register their models here.
@ApiExtraModels(QueueScanDto, StepErrorDto)
@ApiTags('executions')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api')
export class ExecutionsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Get('logs')
  @ApiOperation({
    summary: 'Execution log of your tenant, newest first',
    description:
      'Runs of every workflow, newest first (by receivedAt, then id); filters combine, pages follow `nextCursor`. Runs accepted but not yet recorded by a worker are listed as `queued` (or `running` once a worker has taken them) ' +
      'when the `status` filter includes that status, from a bounded look at the job queue: `queueScan.complete` says whether it saw all of it. 400 for an unknown status or trigger, a bad date or cursor.',
  })
  @ApiOkResponse({ type: LogsPageDto, description: 'One page of executions (summaries: no input or steps)' })
  @ApiErrors(400)
  logs(@CurrentUser() user: AuthUser, @Query() q: LogsQueryDto): Promise<LogsPageDto> {
    return this.executions.logs(user, q);
  }

  @Get('executions/:id')
  @EXECUTION_ID
  @ApiOperation({
    summary: 'One execution with per-step input, output, status, duration and error',
    description:
      'Readable as soon as the 202 that named it: `queued` (input shown, no steps) until a worker starts it, then `running`, then `succeeded`, `failed` or `cancelled` with every step. 404 for an unknown id or another tenant’s.',
  })
  @ApiOkResponse({ type: ExecutionDetailDto, description: 'The execution' })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<ExecutionDetailDto> {
    return this.executions.get(user, id);
  }

  @Post('executions/:id/retry')
  @HttpCode(202)
  @EXECUTION_ID
  @ApiOperation({
    summary: 'Run again with the same input',
    description:
      'A new execution (trigger `retry`, `retryOf` = this id) with the current workflow version and the exact original input. 409 while the execution has not finished (EXECUTION_NOT_FINISHED), when its workflow was deleted (WORKFLOW_DELETED) or its input was not kept in full (INPUT_NOT_KEPT); 503 when the queue is unavailable.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto, description: 'The retry is queued; follow its executionId' })
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
  @WORKFLOW_ID
  @ApiOperation({
    summary: 'Run now with a payload (queued like a webhook event)',
    description:
      'Queues a run (trigger `manual`) of the workflow, active or not, with `payload` (a JSON object) as `{{trigger...}}`. Answers once the job is stored; the executionId is readable at once with GET /api/executions/{id}. 400 when `payload` is not an object; 503 when the queue is unavailable.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    description:
      '1 to 255 printable characters, no spaces (e.g. a UUID of your choice): a repeat with the same key for this workflow within 24 h returns the first executionId (header `Idempotent-Replayed: true`) and runs nothing',
  })
  @ApiAcceptedResponse({ type: AcceptedDto, description: 'The run is queued; follow its executionId' })
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
  @WORKFLOW_ID
  @ApiOperation({
    summary: 'Try the workflow now, synchronously',
    description:
      'Runs every step with `payload` (a JSON object) and answers each step’s rendered input, output, status and duration. Writes no execution. By default connectors are really called; with `sideEffects: false` a connector step whose action has side effects is not run but answered `planned`, with the request it would send (secrets masked) and the action’s sample output for the steps after it. 400 when `payload` is not an object or `sideEffects` not a boolean.',
  })
  @ApiOkResponse({ type: DryRunResultDto, description: 'What every step did' })
  @ApiErrors(400, 404)
  dryRun(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: DryRunRequestDto): Promise<DryRunResultDto> {
    return this.executions.dryRun(user, id, dto?.payload ?? null, dto?.sideEffects ?? true);
  }
}

/** Statistics of one workflow's runs: under the workflow's path, grouped with executions. */
@ApiTags('executions')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/workflows')
export class WorkflowStatsController {
  constructor(private readonly executions: ExecutionsService) {}

  @Get(':id/stats')
  @WORKFLOW_ID
  @ApiOperation({
    summary: 'Run statistics: counts by status, success rate, last run, p50/p95 duration',
    description:
      'Computed from the recorded executions of this workflow (runs still waiting in the queue are not counted). 404 for an unknown workflow or another tenant’s.',
  })
  @ApiOkResponse({ type: WorkflowStatsDto, description: 'The statistics' })
  @ApiErrors(400, 404)
  stats(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WorkflowStatsDto> {
    return this.executions.stats(user, id);
  }
}
