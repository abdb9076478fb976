import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MAX_STEPS, StepFieldsDto, StepList, WorkflowFieldsDto } from '../../workflows';

export const WORKFLOW_FORMAT = 'flowgate.workflow';
export const WORKFLOW_FORMAT_VERSION = 1;

/** A step as it travels between tenants: its credential is named, never an id or a secret. */
export class PortableStepDto extends StepFieldsDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 120,
    description:
      "Connector steps only: the NAME of a credential in the importing tenant for the step's connector (e.g. `Demo OpenWeather`); resolved at import",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  credential?: string;
}

/** What a document needs from the importing tenant (informational; names are what count). */
export class RequiredCredentialDto {
  @ApiProperty({ example: 'Demo OpenWeather', minLength: 1, maxLength: 120, description: 'The credential name the steps use' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'openweather', maxLength: 64, description: 'The connector it is for' })
  @IsString()
  @MaxLength(64)
  connectorKey: string;

  @ApiPropertyOptional({ example: 'api_key', maxLength: 32, description: 'Its kind (see the connector)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  authKind?: string;
}

/**
 * A workflow as JSON that moves between tenants and installations: no ids, no versions, no
 * webhook secret, no credential secrets. GET /api/workflows/:id/export produces it; POST
 * /api/workflows/import takes it (the files in examples/ are such documents).
 */
export class WorkflowDocumentDto extends WorkflowFieldsDto {
  @ApiPropertyOptional({ enum: [WORKFLOW_FORMAT], example: WORKFLOW_FORMAT, description: 'Marks the document type' })
  @IsOptional()
  @Equals(WORKFLOW_FORMAT, { message: `format must be "${WORKFLOW_FORMAT}"` })
  format?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: WORKFLOW_FORMAT_VERSION,
    example: WORKFLOW_FORMAT_VERSION,
    description: 'Document format version (this server reads 1)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(WORKFLOW_FORMAT_VERSION, { message: `formatVersion ${WORKFLOW_FORMAT_VERSION} is the newest this server understands` })
  formatVersion?: number;

  @StepList(PortableStepDto)
  steps: PortableStepDto[];

  @ApiPropertyOptional({
    type: [RequiredCredentialDto],
    maxItems: MAX_STEPS,
    example: [],
    description: 'Credentials the steps name (export lists them; import checks the steps themselves)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_STEPS)
  @ValidateNested({ each: true })
  @Type(() => RequiredCredentialDto)
  credentials?: RequiredCredentialDto[];
}
