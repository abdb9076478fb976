import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DateQuery } from '../../../core/errors/query-params';
import { UsageGroupBy } from '../usage/api-usage.repository';

export class UsageQueryDto {
  @DateQuery({ description: 'Start (inclusive); default: 30 days before `to`', example: '2026-01-01T00:00:00Z' })
  from?: Date;

  @DateQuery({ description: 'End (exclusive); default: now', example: '2026-02-01T00:00:00Z' })
  to?: Date;

  @ApiPropertyOptional({ enum: ['consumer', 'route', 'day'], default: 'day' })
  @IsOptional()
  @IsIn(['consumer', 'route', 'day'], { message: 'groupBy must be one of: consumer, route, day' })
  groupBy?: UsageGroupBy;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only usage of this workflow' })
  @IsOptional()
  @IsUUID('all', { message: 'workflowId must be a UUID' })
  workflowId?: string;
}

export class LatencyPercentilesDto {
  @ApiProperty({ description: 'milliseconds' }) p50: number;
  @ApiProperty({ description: 'milliseconds' }) p95: number;
  @ApiProperty({ description: 'milliseconds' }) p99: number;
}

export class UsageStatsDto {
  @ApiProperty() requests: number;
  @ApiProperty({ description: 'Requests answered with a status of 400 or more' }) errors: number;
  @ApiProperty() requestBytes: number;
  @ApiProperty() responseBytes: number;
  @ApiProperty({ type: LatencyPercentilesDto, description: "Kong's total request latency" }) latencyMs: LatencyPercentilesDto;
}

export class UsageGroupDto extends UsageStatsDto {
  @ApiProperty({ description: 'Consumer username, route name, or day (YYYY-MM-DD, UTC)' }) key: string;
}

export class UsageReportDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: ['consumer', 'route', 'day'] }) groupBy: UsageGroupBy;
  @ApiProperty({ type: UsageStatsDto }) totals: UsageStatsDto;
  @ApiProperty({ type: [UsageGroupDto] }) groups: UsageGroupDto[];
}

export class UsageIngestResultDto {
  @ApiProperty({ description: 'Usage records stored from this batch' }) stored: number;
}
