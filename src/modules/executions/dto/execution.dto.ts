import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DateQuery, IntQuery } from '../../../core/errors/query-params';
import {
  ApiDateTimeProperty,
  ApiJsonObjectProperty,
  ApiJsonValueProperty,
  ApiNullableRefProperty,
} from '../../../core/openapi/json-schemas';
import { TriggerKind } from '../../../core/queue/queue.registry';
import { STEP_TYPES, StepResult, StepStatus, StepType } from '../../engine';
import {
  BUILT_IN_TRIGGERS,
  EXECUTION_STATUSES,
  ExecutionEntity,
  ExecutionStatus,
  TRIGGER_NAME_PATTERN,
} from '../entities/execution.entity';

const TRIGGER_DOC = `What started the run: a trigger type (built in: ${BUILT_IN_TRIGGERS.filter((t) => t !== 'retry')
  .map((t) => `\`${t}\``)
  .join(', ')}; a deployment may register more) or \`retry\``;

const csvList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Array.isArray(value)
      ? value
      : value;

export class StepErrorDto {
  @ApiProperty({ example: 'HTTP: upstream answered 503' }) message: string;
  @ApiProperty({ description: 'Whether another attempt could help' }) retryable: boolean;
  @ApiPropertyOptional({ type: 'integer', description: 'The upstream HTTP status, when there was one', example: 503 }) status?: number;
  @ApiPropertyOptional({ description: 'A stable error code (`TIMEOUT`, `CREDENTIAL_NOT_FOUND`, `WORKFLOW_UNAVAILABLE`, `RUN_LOST`...)' })
  code?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'What the upstream asked to wait before another attempt (seconds)' })
  retryAfterSeconds?: number;
  @ApiPropertyOptional({ description: 'The failing step (execution errors)' }) step?: string;
}

export class StepResultDto {
  @ApiProperty({ example: 'shape' }) name: string;
  @ApiProperty({ enum: STEP_TYPES }) type: StepType;
  @ApiPropertyOptional({ example: 'http', description: 'Connector steps: the connector key' }) connector?: string;
  @ApiPropertyOptional({ example: 'request', description: 'Connector steps: the action key' }) action?: string;
  // Stored executions never hold `planned` (dry runs only: DryRunStepResultDto).
  @ApiProperty({ enum: ['succeeded', 'failed', 'skipped'] }) status: StepStatus;
  @ApiJsonValueProperty({
    required: false,
    description: 'Params after template rendering (secret-looking values redacted; large values cut with a `truncated` marker)',
  })
  input?: unknown;
  @ApiJsonValueProperty({ required: false, description: 'The step output (same redaction and size cap)' }) output?: unknown;
  @ApiPropertyOptional({ type: StepErrorDto, description: 'Why the step failed' }) error?: StepErrorDto;
  @ApiPropertyOptional({ description: 'Why the step was skipped (a condition branch, an earlier failure)' }) skippedReason?: string;
  @ApiDateTimeProperty({ required: false, description: 'When the step started' }) startedAt?: string;
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, description: 'How long the step took (ms, to 0.01 ms)' }) durationMs: number;
}

export class ExecutionSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'The execution id (the `executionId` a 202 answered)' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null once the workflow was deleted' }) workflowId:
    string | null;
  @ApiProperty({ description: 'The workflow name when the run was recorded (empty while queued for a workflow deleted since)' })
  workflowName: string;
  @ApiProperty({ nullable: true, type: 'integer', description: 'The workflow version this run used (null until a worker starts it)' })
  workflowVersion: number | null;
  @ApiProperty({ type: 'string', description: TRIGGER_DOC, example: 'webhook' }) trigger: TriggerKind;
  @ApiProperty({
    enum: EXECUTION_STATUSES,
    description: '`queued` until a worker starts the run (also between retry attempts), then `running`, then final',
  })
  status: ExecutionStatus;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Attempts started (retries and re-runs after a crashed worker included)' })
  attempts: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The execution this one retries' }) retryOf: string | null;
  @ApiNullableRefProperty(StepErrorDto, { description: 'Why the run failed or was cancelled; null otherwise' }) error: StepErrorDto | null;
  @ApiDateTimeProperty({ nullable: true, description: 'Schedule runs: the planned tick' }) scheduledFor: string | null;
  @ApiDateTimeProperty({ description: 'When the event or request was accepted' }) receivedAt: string;
  @ApiDateTimeProperty({ nullable: true, description: 'When the latest attempt started' }) startedAt: string | null;
  @ApiDateTimeProperty({ nullable: true, description: 'When the run reached its final status' }) finishedAt: string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Run duration of the final attempt (ms)' }) durationMs: number | null;

  static from(e: ExecutionEntity): ExecutionSummaryDto {
    return {
      id: e.id,
      workflowId: e.workflowId,
      workflowName: e.workflowName,
      workflowVersion: e.workflowVersion,
      trigger: e.trigger,
      status: e.status,
      attempts: e.attempts,
      retryOf: e.retryOf,
      error: e.error,
      scheduledFor: e.scheduledFor ? new Date(e.scheduledFor).toISOString() : null,
      receivedAt: new Date(e.receivedAt).toISOString(),
      startedAt: e.startedAt ? new Date(e.startedAt).toISOString() : null,
      finishedAt: e.finishedAt ? new Date(e.finishedAt).toISOString() : null,
      durationMs: e.durationMs,
    };
  }
}

export class ExecutionDetailDto extends ExecutionSummaryDto {
  @ApiJsonValueProperty({ description: 'The trigger payload as stored (secret-looking values redacted, size-capped); also while queued' })
  input: unknown;
  @ApiProperty({ description: 'The stored input was cut to the size cap' }) inputTruncated: boolean;
  @ApiProperty({ type: [StepResultDto], description: 'Per-step results; empty while queued' }) steps: StepResultDto[];
  // Optional in TypeScript only: ExecutionsService.get sets it on every answer (the queued view is built elsewhere).
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/api/workflows/7f1c0a52-3c1e-4d6b-9a57-1f2e3d4c5b6a/versions/2',
    description: 'The definition this run ran (GET it: the workflow version it used); null while queued, and once the workflow was deleted',
  })
  workflowVersionUrl?: string | null;

  static fromEntity(e: ExecutionEntity): ExecutionDetailDto {
    return {
      ...ExecutionSummaryDto.from(e),
      input: e.input,
      inputTruncated: e.inputTruncated,
      steps: (e.steps ?? []) as StepResult[],
      workflowVersionUrl: versionUrl(e.workflowId, e.workflowVersion),
    };
  }
}

/** The link to the workflow version a run used; null when either is unknown. */
export function versionUrl(workflowId: string | null, version: number | null): string | null {
  return workflowId && version ? `/api/workflows/${workflowId}/versions/${version}` : null;
}

export class LogsQueryDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...EXECUTION_STATUSES] },
    description:
      'Repeat the parameter or give a comma-separated list (`status=failed,cancelled`). `queued` includes runs accepted but not yet picked up by a worker, `running` the ones a worker has taken but not yet recorded',
    example: ['failed', 'cancelled'],
  })
  @IsOptional()
  @Transform(csvList)
  @IsArray()
  @IsIn(EXECUTION_STATUSES, { each: true, message: `status must be among ${EXECUTION_STATUSES.join(', ')}` })
  status?: ExecutionStatus[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only runs of this workflow' })
  @IsOptional()
  @IsUUID()
  workflowId?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: TRIGGER_NAME_PATTERN.source, maxLength: 32 },
    description:
      'Only runs started by these triggers (built in: `webhook`, `schedule`, `manual`, `retry`; plus any trigger type a deployment registers). Repeat the parameter or give a comma-separated list (`trigger=webhook,schedule`)',
    example: ['webhook', 'schedule'],
  })
  @IsOptional()
  @Transform(csvList)
  @IsArray()
  @Matches(TRIGGER_NAME_PATTERN, {
    each: true,
    message: 'each trigger must be a trigger name (lowercase letters, digits, "_" or "-", at most 32)',
  })
  trigger?: TriggerKind[];

  @DateQuery({ description: 'Received at or after', example: '2026-01-01T00:00:00Z' })
  from?: Date;

  @DateQuery({ description: 'Received before' })
  to?: Date;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IntQuery({ min: 1, max: 200, default: 50, description: 'Page size' })
  limit?: number;
}

/** How much of the job queue a log page looked at for runs not yet picked up (it is bounded). */
export class QueueScanDto {
  @ApiProperty({
    description:
      'False when the queue held more runs not yet picked up than a page looks at (100 per queue state), or could not be read: runs accepted ' +
      'earlier may be missing from this page (they appear once a worker starts them)',
  })
  complete: boolean;
}

export class LogsPageDto {
  @ApiProperty({ type: [ExecutionSummaryDto], description: 'Newest first (by receivedAt, then id)' }) items: ExecutionSummaryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null at the end' }) nextCursor:
    string | null;
  @ApiNullableRefProperty(QueueScanDto, {
    description:
      'Set when the `status` filter includes `queued` or `running`: the page then also lists runs accepted but not yet recorded by a worker',
  })
  queueScan: QueueScanDto | null;
}

export class RunPayloadDto {
  @ApiJsonObjectProperty({
    required: false,
    nullable: true,
    description: 'The trigger payload (a JSON object) the steps read as {{trigger...}}; omitted or null: null',
    example: { user: { name: 'Alex' }, order: { id: 42, amount: 120 } },
  })
  @IsOptional()
  @IsObject({ message: 'payload must be a JSON object' })
  payload?: Record<string, unknown> | null;
}

export class AcceptedDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Follow it with GET /api/executions/{id} (readable at once, `queued` until a worker starts it)',
  })
  executionId: string;
}

/** The request a planned step would have sent. */
export class PlannedRequestDto {
  @ApiProperty({ example: 'POST', description: 'HTTP method' }) method: string;
  @ApiProperty({
    example: 'https://hooks.slack.com/[redacted]',
    description:
      'The full URL with its query; credential query parameters and secret-named ones show `[redacted]`, and a URL that is itself the secret (a Slack or Discord webhook) has its path masked',
  })
  url: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'content-type': 'application/json', authorization: '[redacted]' },
    description: "The connector's headers, lower-cased, with the credential's and every secret-named one `[redacted]`",
  })
  headers: Record<string, string>;
  @ApiJsonValueProperty({ required: false, description: 'The body as it would be sent: a JSON value, or the text of a form or text body' })
  body?: unknown;
}

/** A step of a dry run: a stored step result, plus `planned` (dry runs without side effects). */
export class DryRunStepResultDto extends OmitType(StepResultDto, ['status'] as const) {
  @ApiProperty({
    enum: ['succeeded', 'failed', 'skipped', 'planned'],
    description:
      '`planned` (only with `sideEffects: false`): a connector step whose action has side effects was not run; `request` is what it would have sent and `output` the action’s sample output, which later steps read',
  })
  status: StepStatus;
  @ApiPropertyOptional({ type: PlannedRequestDto, description: 'Planned steps: the request that was not sent (secrets masked)' })
  request?: PlannedRequestDto;
}

export class DryRunRequestDto extends RunPayloadDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: true,
    example: false,
    description:
      'false: connector steps whose action has side effects (see `sideEffects` per action in GET /api/connectors) are not run but answered `planned` with the request they would send (secrets masked) and the action’s sample output; read-only actions, transforms and conditions still run. Default true: every step really runs',
  })
  @IsOptional()
  @IsBoolean({ message: 'sideEffects must be a boolean' })
  sideEffects?: boolean;
}

export class DryRunResultDto {
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status: 'succeeded' | 'failed';
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, description: 'How long the whole try took (ms, to 0.01 ms)' })
  durationMs: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The workflow version that was tried' }) workflowVersion: number;
  @ApiProperty({ type: [DryRunStepResultDto], description: 'Every step: rendered input, output, status, duration' })
  steps: DryRunStepResultDto[];
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'How many steps were planned instead of run (0 unless `sideEffects` was false)',
  })
  planned: number;
  @ApiPropertyOptional({ type: StepErrorDto, description: 'The failing step and why (failed tries only)' }) error?: StepErrorDto;
}
