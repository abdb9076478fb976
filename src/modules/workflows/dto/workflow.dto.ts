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
import { BooleanQuery, IntQuery, MAX_PAGE } from '../../../core/errors/query-params';
import { ApiDateTimeProperty, ApiJsonObjectProperty, ApiNullableRefProperty } from '../../../core/openapi/json-schemas';
import { STEP_TYPES, StepType } from '../../engine';
import { WORKFLOW_TRIGGER_REF } from '../triggers/trigger-document';
import type { WorkflowTrigger } from '../workflow.types';
import { EXAMPLE_SETTINGS, EXAMPLE_STEPS, EXAMPLE_TRIGGER } from './workflow-examples';

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
    ApiProperty({ type: [step], minItems: 1, maxItems: MAX_STEPS, description: STEPS_DOC, example: EXAMPLE_STEPS }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_STEPS),
    ValidateNested({ each: true }),
    Type(() => step),
  );

/**
 * A workflow's `trigger`: its fields depend on `type`. The document describes it as
 * `WorkflowTrigger`, assembled from the registered trigger types (each type's handler gives its
 * schema), and request validation checks bodies against that; the handler then normalizes it.
 */
const TriggerProperty = (options: { required: boolean; description: string; example?: unknown }) =>
  applyDecorators(
    ApiProperty({
      required: options.required,
      description: options.description,
      allOf: [{ $ref: WORKFLOW_TRIGGER_REF }],
      ...(options.example !== undefined ? { example: options.example } : {}),
    }),
    ...(options.required ? [] : [OptionalNotNull()]),
    IsObject(),
  );

/** `errorWorkflowId` on create and update: a workflow of this tenant (not this one), or null for none. */
const ERROR_WORKFLOW_DOC =
  "The workflow run once (trigger `error`, the failure as its payload: {{trigger.workflow.name}}, {{trigger.error.message}}, ...) when a run of this workflow fails for good; a workflow of this tenant other than this one. null: none. A handler's own failures never start a handler";
const ErrorWorkflowProperty = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, description, example: null }),
    IsOptional(),
    IsUUID(undefined, { message: 'errorWorkflowId must be a workflow id (UUID) or null' }),
  );

/** What a step is, wherever it is written: in a workflow here, or in a portable document (workflow-io). */
export class StepFieldsDto {
  @ApiProperty({
    description: 'Unique within the workflow; later steps read its output as {{steps.<name>...}}',
    example: 'greet',
    pattern: STEP_NAME_PATTERN.source,
  })
  @IsString()
  @Matches(STEP_NAME_PATTERN, { message: 'name must start with a letter and hold only letters, digits, "_" and "-" (at most 64)' })
  name: string;

  @ApiPropertyOptional({
    enum: STEP_TYPES,
    default: 'connector',
    example: 'transform',
    description:
      '`connector` (default) calls a connector action; `condition` and `transform` are core steps (no connector, action or credential)',
  })
  @IsOptional()
  @IsIn(STEP_TYPES)
  type?: StepType;

  @ApiPropertyOptional({ description: 'Connector steps only: the connector key (GET /api/connectors), e.g. `openweather`', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  connector?: string;

  @ApiPropertyOptional({ description: "Connector steps only: one of the connector's action keys, e.g. `current_weather`", maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiJsonObjectProperty({
    required: false,
    description:
      "Connector steps: the action's params (its schema is in GET /api/connectors). condition: { left, operator, right, then?, else? } | { all|any: [...] }. transform: the object to build. Strings may hold templates: {{trigger.user.name}}, its GoFlow form {{user.name}} (a first name other than trigger, steps or execution reads the trigger payload), {{steps.<name>.<field>}}, {{execution.id}}.",
    example: EXAMPLE_STEPS[0].params,
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}

export class StepDto extends StepFieldsDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Connector steps only: the id of a credential of this tenant for the step's connector (POST /api/credentials)",
  })
  @IsOptional()
  @IsUUID()
  credentialId?: string;
}

export class BackoffDto {
  @ApiProperty({
    enum: ['exponential', 'fixed'],
    example: 'exponential',
    description: '`exponential` doubles the delay after each attempt; `fixed` keeps it',
  })
  @IsIn(['exponential', 'fixed'])
  type: 'exponential' | 'fixed';

  @ApiProperty({
    type: 'integer',
    description: 'Base delay between attempts in ms (exponential doubles it each time)',
    minimum: 0,
    maximum: 3_600_000,
    example: 1000,
  })
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  delayMs: number;
}

export class SettingsDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Extra attempts after a failure that a retry can help (default 2)',
    minimum: 0,
    maximum: 10,
    example: 2,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  retries?: number;

  @ApiPropertyOptional({ type: BackoffDto, description: 'Default exponential, 1000 ms', example: EXAMPLE_SETTINGS.backoff })
  @IsOptional()
  @ValidateNested()
  @Type(() => BackoffDto)
  backoff?: BackoffDto;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Time limit of every step in ms (default CONNECTOR_STEP_TIMEOUT_MS)',
    minimum: 100,
    maximum: 600_000,
    example: 30000,
  })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(600_000)
  stepTimeoutMs?: number;
}

/** What a workflow is apart from its steps, wherever it is written (here, or a portable document). */
export class WorkflowFieldsDto {
  @ApiProperty({ example: 'Greet big orders', minLength: 1, maxLength: 200, description: 'Shown in lists and in the execution log' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Free text for people',
    example: 'Greets the customer and goes on for orders of 100 or more',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ default: true, example: true, description: 'Inactive workflows ignore webhooks and schedules' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @TriggerProperty({ required: true, description: 'What starts a run', example: EXAMPLE_TRIGGER })
  trigger: WorkflowTrigger;

  @ApiPropertyOptional({
    type: SettingsDto,
    description: 'Retries, backoff and step time limit; omitted fields take their defaults',
    example: EXAMPLE_SETTINGS,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SettingsDto)
  settings?: SettingsDto;
}

export class CreateWorkflowDto extends WorkflowFieldsDto {
  @StepList(StepDto)
  steps: StepDto[];

  @ApiPropertyOptional({
    description: 'Generate a webhook signing secret; it is shown once, in this response (webhook calls must then be signed)',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  generateWebhookSecret?: boolean;

  @ErrorWorkflowProperty(ERROR_WORKFLOW_DOC)
  errorWorkflowId?: string | null;
}

/** PUT: every field optional; what is given replaces the stored value (settings are merged). */
export class UpdateWorkflowDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'New name', example: 'Greet very big orders' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000, nullable: true, description: 'New description; null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ description: 'Activate or deactivate (like PUT /api/workflows/{id}/toggle)' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @TriggerProperty({ required: false, description: 'Replaces the trigger (null is refused)' })
  trigger?: WorkflowTrigger;

  @ApiPropertyOptional({ type: [StepDto], minItems: 1, maxItems: MAX_STEPS, description: `${STEPS_DOC}; replaces every step` })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STEPS)
  @ValidateNested({ each: true })
  @Type(() => StepDto)
  steps?: StepDto[];

  @ApiPropertyOptional({
    type: SettingsDto,
    description: 'Merged into the stored settings: fields not given keep their value',
    example: { retries: 3 },
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SettingsDto)
  settings?: SettingsDto;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'When given, the edit applies only if the stored version still matches (else 409 VERSION_CONFLICT)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;

  @ErrorWorkflowProperty(`${ERROR_WORKFLOW_DOC}. Omitted: unchanged; null clears it`)
  errorWorkflowId?: string | null;
}

export class ToggleWorkflowDto {
  @ApiProperty({ description: 'The state to set: true runs on webhooks and schedules, false ignores them', example: false })
  @IsBoolean()
  active: boolean;
}

export class ListWorkflowsQueryDto {
  @IntQuery({ min: 1, max: MAX_PAGE, default: 1, description: 'Page number, from 1' })
  page?: number;

  @IntQuery({ min: 1, max: 100, default: 20, description: 'Workflows per page (1 to 100)' })
  limit?: number;

  @BooleanQuery({ description: 'Only active (`true`) or only inactive (`false`) workflows; without it, both' })
  active?: boolean;
}

export class WorkflowStepView {
  @ApiProperty({ description: 'Unique within the workflow' }) name: string;
  @ApiProperty({ enum: STEP_TYPES, description: 'Step kind' }) type: StepType;
  @ApiPropertyOptional({ description: 'Connector steps: the connector key' }) connector?: string;
  @ApiPropertyOptional({ description: 'Connector steps: the action key' }) action?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Connector steps: the credential used' }) credentialId?: string;
  @ApiJsonObjectProperty({ description: 'The params as stored, templates unrendered' }) params: Record<string, unknown>;
}

export class WorkflowSettingsView {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Extra attempts after a retryable failure' }) retries: number;
  @ApiProperty({ type: BackoffDto, description: 'Delay between attempts' }) backoff: BackoffDto;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Time limit of every step in ms' }) stepTimeoutMs: number;
}

export class WorkflowDto {
  @ApiProperty({ format: 'uuid', description: 'The workflow id' }) id: string;
  @ApiProperty({ description: 'Name' }) name: string;
  @ApiProperty({ nullable: true, type: String, description: 'Description, or null' }) description: string | null;
  @ApiProperty({ description: 'Inactive workflows ignore webhooks and schedules' }) active: boolean;
  @ApiProperty({ allOf: [{ $ref: WORKFLOW_TRIGGER_REF }], description: 'What starts a run' }) trigger: WorkflowTrigger;
  @ApiProperty({ type: [WorkflowStepView], description: 'Ordered steps' }) steps: WorkflowStepView[];
  @ApiProperty({ type: WorkflowSettingsView, description: 'Retries, backoff and step time limit' }) settings: WorkflowSettingsView;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Bumped by every edit; executions record the version they ran' })
  version: number;
  @ApiProperty({ description: 'Webhook calls must be signed (the `webhook-signature` scheme, header X-Flowgate-Signature)' })
  hasWebhookSecret: boolean;
  @ApiProperty({ example: '/api/webhooks/7f1c…', description: 'Path that triggers this workflow (webhook trigger)' }) webhookPath: string;
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The workflow run when a run of this one fails for good (trigger `error`), or null',
  })
  errorWorkflowId: string | null;
  @ApiDateTimeProperty({ description: 'When it was created' }) createdAt: string;
  @ApiDateTimeProperty({ description: 'When it was last changed' }) updatedAt: string;
}

export class CreatedWorkflowDto extends WorkflowDto {
  @ApiPropertyOptional({ description: 'Shown once, only when generated; store it now' }) webhookSecret?: string;
}

/** The newest run of a workflow, as the list shows it. */
export class WorkflowLastRunDto {
  @ApiProperty({ format: 'uuid', description: 'The run (GET /api/executions/{id})' }) executionId: string;
  @ApiProperty({
    enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'],
    example: 'succeeded',
    description: 'Its status now',
  })
  status: string;
  @ApiDateTimeProperty({ description: 'When its trigger was received' }) receivedAt: string;
}

/** A workflow in a list: the workflow and its newest run. */
export class WorkflowListItemDto extends WorkflowDto {
  @ApiNullableRefProperty(WorkflowLastRunDto, { description: 'The newest run (by `receivedAt`), or null when it never ran' })
  lastRun: WorkflowLastRunDto | null;
}

export class WorkflowPageDto {
  @ApiProperty({ type: [WorkflowListItemDto], description: 'This page, newest first, each with its last run' })
  items: WorkflowListItemDto[];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Workflows matching the filter, all pages' }) total: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'This page number' }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Page size' }) limit: number;
}

export class WebhookSecretDto {
  @ApiProperty({ description: 'The new signing secret, shown once' }) webhookSecret: string;
  @ApiProperty({
    description: 'How to sign a call',
    example: 'X-Flowgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">',
  })
  signatureFormat: string;
}
