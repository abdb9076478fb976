import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { JSON_OBJECT_SCHEMA, JSON_VALUE_REF } from '../../../core/openapi/json-schemas';

/** Why one step of an aggregate failed (the step's own error, as the engine recorded it). */
export class AggregateStepErrorDto {
  @ApiProperty({ example: 'Dog CEO answered 404: Breed not found' }) message: string;
  @ApiPropertyOptional({ example: 'UPSTREAM_ERROR', description: "The step's error code, when it has one (e.g. RENDER_LIMIT_EXCEEDED)" })
  code?: string;
  @ApiPropertyOptional({ type: 'integer', example: 404, description: "The upstream's HTTP status, when the step called one" })
  status?: number;
}

/** The aggregator's answer: every step's output (or error) by step name. The same shape for 200 and 207. */
export class AggregateResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The workflow whose steps ran' }) workflow_id: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: JSON_VALUE_REF },
    description: 'Output of each step that succeeded, by step name',
    example: { echo: { asked: 'hound' } },
  })
  results: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(AggregateStepErrorDto) },
    description: 'Error of each step that failed, by step name; empty in a 200',
    example: { dog: { message: 'Dog CEO answered 404: Breed not found', status: 404 } },
  })
  errors: Record<string, AggregateStepErrorDto>;
}

/** The bridge's answer: the SOAP response Body converted to JSON. */
export const BRIDGE_RESPONSE_SCHEMA = {
  ...JSON_OBJECT_SCHEMA,
  description: 'The SOAP response Body as JSON, keyed by its element names',
  example: { GetWeatherResponse: { GetWeatherResult: { City: 'Paris', Temperature: '21.5', Conditions: 'Sunny' } } },
};

/** What the bridge accepts: one JSON object, the workflow's `{{trigger...}}`. */
export const BRIDGE_REQUEST_SCHEMA = {
  ...JSON_OBJECT_SCHEMA,
  description: "Any JSON object: it becomes `{{trigger...}}` when the soap step's params are rendered",
  example: { city: 'Paris' },
};
