import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IntQuery, MAX_PAGE } from '../../../core/errors/query-params';
import { ApiDateTimeProperty, ApiJsonValueProperty } from '../../../core/openapi/json-schemas';
import { WORKFLOW_TRIGGER_REF } from '../triggers/trigger-document';
import type { WorkflowTrigger } from '../workflow.types';
import { WorkflowSettingsView, WorkflowStepView } from './workflow.dto';

export class ListVersionsQueryDto {
  @IntQuery({ min: 1, max: MAX_PAGE, default: 1, description: 'Page number, from 1' })
  page?: number;

  @IntQuery({ min: 1, max: 100, default: 20, description: 'Versions per page (1 to 100)' })
  limit?: number;
}

export class WorkflowVersionSummaryDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version number (1 for the first save)', example: 3 }) version: number;
  @ApiDateTimeProperty({ description: 'When this version was saved' }) createdAt: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The user who saved it (null for versions kept from before versioning)',
  })
  createdBy: string | null;
  @ApiProperty({ description: 'The workflow name in this version', example: 'Greet big orders' }) name: string;
  @ApiProperty({ description: 'Whether this is the version the workflow runs now' }) current: boolean;
}

export class WorkflowVersionPageDto {
  @ApiProperty({ type: [WorkflowVersionSummaryDto], description: 'This page, newest version first' }) items: WorkflowVersionSummaryDto[];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Versions kept, all pages' }) total: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'This page number' }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Page size' }) limit: number;
}

export class WorkflowVersionDto extends WorkflowVersionSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'The workflow id' }) workflowId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Description in this version, or null' }) description: string | null;
  @ApiProperty({ description: 'Whether the workflow was active when this version was saved (activating or deactivating is not a version)' })
  active: boolean;
  @ApiProperty({ allOf: [{ $ref: WORKFLOW_TRIGGER_REF }], description: 'What started a run in this version' }) trigger: WorkflowTrigger;
  @ApiProperty({ type: [WorkflowStepView], description: 'Ordered steps of this version' }) steps: WorkflowStepView[];
  @ApiProperty({ type: WorkflowSettingsView, description: 'Retries, backoff and step time limit of this version' })
  settings: WorkflowSettingsView;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The error workflow of this version, or null' })
  errorWorkflowId: string | null;
}

export class VersionDiffQueryDto {
  @IntQuery({
    min: 1,
    max: 2_147_483_647,
    description: 'The version to compare with, the `from` side of the diff (older or newer); default: the version before this one',
  })
  against?: number;
}

export const DIFF_OPS = ['added', 'removed', 'changed', 'moved'] as const;

export class DefinitionChangeDto {
  @ApiProperty({
    description:
      'JSON pointer (RFC 6901) to the value: into the `to` definition for `added`, `changed` and `moved`, into the `from` definition for `removed`',
    example: '/steps/1/params/text',
  })
  path: string;
  @ApiProperty({
    enum: DIFF_OPS,
    description: '`moved`: a step kept its name but changed position (`from` and `to` are its indexes)',
    example: 'changed',
  })
  op: (typeof DIFF_OPS)[number];
  @ApiPropertyOptional({ description: 'The step the change is in (steps are matched by their unique name)', example: 'greet' })
  step?: string;
  @ApiJsonValueProperty({ required: false, description: 'The value on the `from` side (`removed`, `changed`); `moved`: the index there' })
  from?: unknown;
  @ApiJsonValueProperty({ required: false, description: 'The value on the `to` side (`added`, `changed`); `moved`: the index there' })
  to?: unknown;
}

export class WorkflowVersionDiffDto {
  @ApiProperty({ format: 'uuid', description: 'The workflow id' }) workflowId: string;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The `from` side (`against`); null when version 1 is compared with nothing before it (everything is `added`)',
    example: 2,
  })
  from: number | null;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The `to` side: the version in the path', example: 3 }) to: number;
  @ApiProperty({
    type: [DefinitionChangeDto],
    description: 'Changes over name, description, trigger, steps, settings and errorWorkflowId; empty when the definitions are equal',
  })
  changes: DefinitionChangeDto[];
}

export class RollbackWorkflowDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version whose definition becomes the current one again', example: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'When given, rolls back only if the stored version still matches (else 409 VERSION_CONFLICT)',
    example: 2,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
