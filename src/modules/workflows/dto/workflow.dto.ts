import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OptionalNotNull } from '../../../core/errors/optional-not-null';
import { IntQuery, MAX_PAGE } from '../../../core/errors/query-params';
import { STEP_TYPES, StepType } from '../../engine/engine.types';

export const STEP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/**
 * The most steps any workflow document may carry (the ceiling of WORKFLOW_MAX_STEPS); the
 * setting itself (default 50) is enforced by WorkflowValidator and the engine.
 */
export const MAX_STEPS = 200;
const STEPS_DOC = 'Ordered steps: at most WORKFLOW_MAX_STEPS (default 50; the setting may go up to 200)';

/** A workflow's ordered steps (1 to MAX_STEPS) of the given step DTO, each validated. */
export const StepList = (step: new () => object) =>
  applyDecorators(
    ApiProperty({ type: [step], minItems: 1, maxItems: MAX_STEPS, description: STEPS_DOC }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_STEPS),
    ValidateNested({ each: true }),
    Type(() => step),
  );

/** The shortest time between two runs of a schedule, for intervals and for cron fire times alike. */
export const MIN_SCHEDULE_GAP_SECONDS = 10;

export class TriggerDto {
  @ApiProperty({ enum: ['webhook', 'schedule'], example: 'webhook' })
  @IsIn(['webhook', 'schedule'])
  type: 'webhook' | 'schedule';

  @ApiPropertyOptional({ description: 'Schedule: run every N seconds (10 s to 31 days). Give this or `cron`.', minimum: MIN_SCHEDULE_GAP_SECONDS, example: 600 })
  @OptionalNotNull()
  @IsInt()
  @Min(MIN_SCHEDULE_GAP_SECONDS)
  @Max(31 * 86_400)
  intervalSeconds?: number;

  @ApiPropertyOptional({ description: 'Schedule: a cron expression (5 or 6 fields). Give this or `intervalSeconds`. Its real fire times (in `timezone`, daylight-saving changes included) must be at least 10 s apart.', example: '*/15 * * * *' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(120)
  cron?: string;

  @ApiPropertyOptional({ description: 'IANA time zone for `cron` (default UTC)', example: 'Europe/Paris' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

/** What a step is, wherever it is written: in a workflow here, or in a portable document (workflow-io). */
export class StepFieldsDto {
  @ApiProperty({ description: 'Unique within the workflow; later steps read its output as {{steps.<name>...}}', example: 'lookup', pattern: STEP_NAME_PATTERN.source })
  @IsString()
  @Matches(STEP_NAME_PATTERN, { message: 'name must start with a letter and hold only letters, digits, "_" and "-" (at most 64)' })
  name: string;

  @ApiPropertyOptional({ enum: STEP_TYPES, default: 'connector', description: '`connector` (default) calls a connector action; `condition` and `transform` are core steps' })
  @IsOptional()
  @IsIn(STEP_TYPES)
  type?: StepType;

  @ApiPropertyOptional({ description: 'Connector key (connector steps)', example: 'openweather' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  connector?: string;

  @ApiPropertyOptional({ description: 'Action key (connector steps)', example: 'current_weather' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Action params; strings may hold templates like {{trigger.user.name}}. condition: { left, operator, right, then?, else? } | { all|any: [...] }. transform: the object to build.',
    example: { city: '{{trigger.city | default: "London"}}' },
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}

export class StepDto extends StepFieldsDto {
  @ApiPropertyOptional({ format: 'uuid', description: "A credential of this tenant for the step's connector" })
  @IsOptional()
  @IsUUID()
  credentialId?: string;
}

export class BackoffDto {
  @ApiProperty({ enum: ['exponential', 'fixed'] })
  @IsIn(['exponential', 'fixed'])
  type: 'exponential' | 'fixed';

  @ApiProperty({ description: 'Base delay between attempts (exponential doubles it each time)', minimum: 0, maximum: 3_600_000, example: 1000 })
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  delayMs: number;
}

export class SettingsDto {
  @ApiPropertyOptional({ description: 'Extra attempts after a failure that a retry can help (default 2)', minimum: 0, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  retries?: number;

  @ApiPropertyOptional({ type: BackoffDto, description: 'Default exponential, 1000 ms' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BackoffDto)
  backoff?: BackoffDto;

  @ApiPropertyOptional({ description: 'Time limit of every step (default CONNECTOR_STEP_TIMEOUT_MS)', minimum: 100, maximum: 600_000 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(600_000)
  stepTimeoutMs?: number;
}

/** What a workflow is apart from its steps, wherever it is written (here, or a portable document). */
export class WorkflowFieldsDto {
  @ApiProperty({ example: 'Order confirmed → Slack', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'Inactive workflows ignore webhooks and schedules' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiProperty({ type: TriggerDto })
  @ValidateNested()
  @Type(() => TriggerDto)
  trigger: TriggerDto;

  @ApiPropertyOptional({ type: SettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SettingsDto)
  settings?: SettingsDto;
}

export class CreateWorkflowDto extends WorkflowFieldsDto {
  @StepList(StepDto)
  steps: StepDto[];

  @ApiPropertyOptional({ description: 'Generate a webhook signing secret; it is shown once, in this response' })
  @IsOptional()
  @IsBoolean()
  generateWebhookSecret?: boolean;
}

/** PUT: every field optional; what is given replaces the stored value (settings are merged). */
export class UpdateWorkflowDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: TriggerDto })
  @OptionalNotNull()
  @ValidateNested()
  @Type(() => TriggerDto)
  trigger?: TriggerDto;

  @ApiPropertyOptional({ type: [StepDto], maxItems: MAX_STEPS, description: STEPS_DOC })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STEPS)
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps?: StepDto[];

  @ApiPropertyOptional({ type: SettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SettingsDto)
  settings?: SettingsDto;

  @ApiPropertyOptional({ description: 'When given, the edit applies only if the stored version still matches (else 409)', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class ToggleWorkflowDto {
  @ApiPropertyOptional({ description: 'The state to set; without it the state flips' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListWorkflowsQueryDto {
  @IntQuery({ min: 1, max: MAX_PAGE, default: 1 })
  page?: number;

  @IntQuery({ min: 1, max: 100, default: 20 })
  limit?: number;

  @ApiPropertyOptional({ description: 'Only active (true) or inactive (false) workflows' })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

export class WorkflowTriggerView {
  @ApiProperty({ enum: ['webhook', 'schedule'] }) type: 'webhook' | 'schedule';
  @ApiPropertyOptional() intervalSeconds?: number;
  @ApiPropertyOptional() cron?: string;
  @ApiPropertyOptional() timezone?: string;
}

export class WorkflowStepView {
  @ApiProperty() name: string;
  @ApiProperty({ enum: STEP_TYPES }) type: StepType;
  @ApiPropertyOptional() connector?: string;
  @ApiPropertyOptional() action?: string;
  @ApiPropertyOptional({ format: 'uuid' }) credentialId?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) params: Record<string, unknown>;
}

export class WorkflowSettingsView {
  @ApiProperty() retries: number;
  @ApiProperty({ type: BackoffDto }) backoff: BackoffDto;
  @ApiProperty() stepTimeoutMs: number;
}

export class WorkflowDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: WorkflowTriggerView }) trigger: WorkflowTriggerView;
  @ApiProperty({ type: [WorkflowStepView] }) steps: WorkflowStepView[];
  @ApiProperty({ type: WorkflowSettingsView }) settings: WorkflowSettingsView;
  @ApiProperty({ description: 'Bumped by every edit; executions record the version they ran' }) version: number;
  @ApiProperty({ description: 'Webhook calls must be signed (X-Flowgate-Signature)' }) hasWebhookSecret: boolean;
  @ApiProperty({ example: '/api/webhooks/7f1c…', description: 'Path that triggers this workflow (webhook trigger)' }) webhookPath: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class CreatedWorkflowDto extends WorkflowDto {
  @ApiPropertyOptional({ description: 'Shown once, only when generated; store it now' }) webhookSecret?: string;
}

export class WorkflowPageDto {
  @ApiProperty({ type: [WorkflowDto] }) items: WorkflowDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}

export class WebhookSecretDto {
  @ApiProperty({ description: 'The new signing secret, shown once' }) webhookSecret: string;
  @ApiProperty({ example: 'X-Flowgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">' }) signatureFormat: string;
}

export class WorkflowStatsDto {
  @ApiProperty({ format: 'uuid' }) workflowId: string;
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Executions per status', example: { queued: 0, running: 0, succeeded: 10, failed: 1, cancelled: 0 } })
  byStatus: Record<string, number>;
  @ApiProperty({ nullable: true, type: Number, description: 'succeeded / (succeeded + failed), 0..1' }) successRate: number | null;
  @ApiProperty({ nullable: true, type: String }) lastRunAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastStatus: string | null;
  @ApiProperty({ nullable: true, type: Number }) p50DurationMs: number | null;
  @ApiProperty({ nullable: true, type: Number }) p95DurationMs: number | null;
}
