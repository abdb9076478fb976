import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DateQuery, IntQuery } from '../../../core/errors/query-params';
import { TriggerKind } from '../../../core/queue/queue.registry';
import { STEP_TYPES, StepResult, StepType } from '../../engine/engine.types';
import { EXECUTION_STATUSES, ExecutionEntity, ExecutionStatus, TRIGGER_KINDS } from '../entities/execution.entity';

const csvList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : Array.isArray(value) ? value : value;

export class StepErrorDto {
  @ApiProperty() message: string;
  @ApiProperty({ description: 'Whether another attempt could help' }) retryable: boolean;
  @ApiPropertyOptional() status?: number;
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional({ description: 'The failing step (execution errors)' }) step?: string;
}

export class StepResultDto {
  @ApiProperty() name: string;
  @ApiProperty({ enum: STEP_TYPES }) type: StepType;
  @ApiPropertyOptional() connector?: string;
  @ApiPropertyOptional() action?: string;
  @ApiProperty({ enum: ['succeeded', 'failed', 'skipped'] }) status: 'succeeded' | 'failed' | 'skipped';
  @ApiPropertyOptional({ description: 'Params after template rendering (secret-looking values redacted; large values cut with a `truncated` marker)' })
  input?: unknown;
  @ApiPropertyOptional({ description: 'The step output (same redaction and size cap)' }) output?: unknown;
  @ApiPropertyOptional({ type: StepErrorDto }) error?: StepErrorDto;
  @ApiPropertyOptional() skippedReason?: string;
  @ApiPropertyOptional() startedAt?: string;
  @ApiProperty() durationMs: number;
}

export class ExecutionSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) workflowId: string | null;
  @ApiProperty() workflowName: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The workflow version this run used' }) workflowVersion: number | null;
  @ApiProperty({ enum: TRIGGER_KINDS }) trigger: TriggerKind;
  @ApiProperty({ enum: EXECUTION_STATUSES }) status: ExecutionStatus;
  @ApiProperty({ description: 'Attempts started (retries and re-runs after a crashed worker included)' }) attempts: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The execution this one retries' }) retryOf: string | null;
  @ApiProperty({ type: StepErrorDto, nullable: true }) error: StepErrorDto | null;
  @ApiProperty({ nullable: true, type: String, description: 'Schedule runs: the planned tick' }) scheduledFor: string | null;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs: number | null;

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
  @ApiProperty({ description: 'The trigger payload as stored (secret-looking values redacted, size-capped)' }) input: unknown;
  @ApiProperty({ description: 'The stored input was cut to the size cap' }) inputTruncated: boolean;
  @ApiProperty({ type: [StepResultDto] }) steps: StepResultDto[];

  static fromEntity(e: ExecutionEntity): ExecutionDetailDto {
    return { ...ExecutionSummaryDto.from(e), input: e.input, inputTruncated: e.inputTruncated, steps: (e.steps ?? []) as StepResult[] };
  }
}

export class LogsQueryDto {
  @ApiPropertyOptional({ description: 'One status or a comma-separated list', example: 'failed,cancelled' })
  @IsOptional()
  @Transform(csvList)
  @IsArray()
  @IsIn(EXECUTION_STATUSES, { each: true, message: `status must be among ${EXECUTION_STATUSES.join(', ')}` })
  status?: ExecutionStatus[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  workflowId?: string;

  @ApiPropertyOptional({ description: 'One trigger kind or a comma-separated list', example: 'webhook,schedule' })
  @IsOptional()
  @Transform(csvList)
  @IsArray()
  @IsIn(TRIGGER_KINDS, { each: true, message: `trigger must be among ${TRIGGER_KINDS.join(', ')}` })
  trigger?: TriggerKind[];

  @DateQuery({ description: 'Received at or after', example: '2026-01-01T00:00:00Z' })
  from?: Date;

  @DateQuery({ description: 'Received before' })
  to?: Date;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IntQuery({ min: 1, max: 200, default: 50 })
  limit?: number;
}

export class LogsPageDto {
  @ApiProperty({ type: [ExecutionSummaryDto] }) items: ExecutionSummaryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null at the end' }) nextCursor: string | null;
}

export class RunPayloadDto {
  @ApiPropertyOptional({ description: 'The trigger payload the steps read as {{trigger...}}', example: { user: { name: 'Alex' } } })
  @IsOptional()
  payload?: unknown;
}

export class AcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'Follow it with GET /api/executions/:id' }) executionId: string;
}

export class DryRunResultDto {
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status: 'succeeded' | 'failed';
  @ApiProperty() durationMs: number;
  @ApiProperty({ description: 'The workflow version that was tried' }) workflowVersion: number;
  @ApiProperty({ type: [StepResultDto] }) steps: StepResultDto[];
  @ApiPropertyOptional({ type: StepErrorDto }) error?: StepErrorDto;
}
