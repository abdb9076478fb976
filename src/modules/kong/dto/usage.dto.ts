import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DateQuery } from '../../../core/errors/query-params';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { USAGE_GROUP_BY, UsageGroupBy } from '../usage/api-usage.repository';

export class UsageQueryDto {
  @DateQuery({ description: 'Start (inclusive); default: 30 days before `to`', example: '2026-01-01T00:00:00Z' })
  from?: Date;

  @DateQuery({ description: 'End (exclusive); default: now. The range may cover at most 366 days', example: '2026-02-01T00:00:00Z' })
  to?: Date;

  @ApiPropertyOptional({
    enum: USAGE_GROUP_BY,
    default: 'day',
    description: 'How to group: by Kong consumer username, by Kong route name, or by UTC day',
  })
  @IsOptional()
  @IsIn(USAGE_GROUP_BY as unknown as string[], { message: `groupBy must be one of: ${USAGE_GROUP_BY.join(', ')}` })
  groupBy?: UsageGroupBy;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only usage of this workflow' })
  @IsOptional()
  @IsUUID('all', { message: 'workflowId must be a UUID' })
  workflowId?: string;
}

/** Percentiles are interpolated (percentile_cont), so they can be fractional: rounded to 0.01 ms. */
export class LatencyPercentilesDto {
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, description: 'milliseconds', example: 18.5 }) p50: number;
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, description: 'milliseconds', example: 42 }) p95: number;
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, description: 'milliseconds', example: 97.25 }) p99: number;
}

export class UsageStatsDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Requests Kong logged' }) requests: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Requests answered with a status of 400 or more' }) errors: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Bytes received from callers' }) requestBytes: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Bytes sent back to callers' }) responseBytes: number;
  @ApiProperty({ type: LatencyPercentilesDto, description: "Kong's total request latency" }) latencyMs: LatencyPercentilesDto;
}

export class UsageGroupDto extends UsageStatsDto {
  @ApiProperty({
    description: 'Consumer username (`(anonymous)` without one), route name (`(unknown)` without one), or day (YYYY-MM-DD, UTC)',
    example: '2026-01-31',
  })
  key: string;
}

export class UsageReportDto {
  @ApiDateTimeProperty({ description: 'Start of the range (inclusive)' }) from: string;
  @ApiDateTimeProperty({ description: 'End of the range (exclusive)' }) to: string;
  @ApiProperty({ enum: USAGE_GROUP_BY, description: 'How `groups` are keyed' }) groupBy: UsageGroupBy;
  @ApiProperty({ type: UsageStatsDto, description: 'The whole range' }) totals: UsageStatsDto;
  @ApiProperty({ type: [UsageGroupDto], description: 'At most 1,000 groups: days in order, otherwise the busiest first' })
  groups: UsageGroupDto[];
}

export class UsageIngestResultDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Usage records stored from this batch' }) stored: number;
}
