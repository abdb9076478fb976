import { ApiProperty } from '@nestjs/swagger';
import { ApiCountsProperty, ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { EXECUTION_STATUSES, ExecutionStatus } from '../entities/execution.entity';

/** GET /api/workflows/{id}/stats: computed from the recorded executions of one workflow. */
export class WorkflowStatsDto {
  @ApiProperty({ format: 'uuid' }) workflowId: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Recorded executions of this workflow' }) total: number;
  @ApiCountsProperty({
    description: `Recorded executions per status (${EXECUTION_STATUSES.join(', ')}); every status is present`,
    example: { queued: 0, running: 0, succeeded: 10, failed: 1, cancelled: 0 },
  })
  byStatus: Record<ExecutionStatus, number>;
  @ApiProperty({
    nullable: true,
    type: 'number',
    format: 'double',
    minimum: 0,
    maximum: 1,
    description: 'succeeded / (succeeded + failed), 0..1; null before any decided run',
  })
  successRate: number | null;
  @ApiDateTimeProperty({ nullable: true, description: 'receivedAt of the newest run' }) lastRunAt: string | null;
  @ApiProperty({ nullable: true, type: String, enum: [...EXECUTION_STATUSES, null], description: 'Status of the newest run' })
  lastStatus: ExecutionStatus | null;
  @ApiProperty({ nullable: true, type: 'number', format: 'double', description: 'Median duration of finished runs (ms)' }) p50DurationMs:
    number | null;
  @ApiProperty({ nullable: true, type: 'number', format: 'double', description: '95th percentile duration of finished runs (ms)' })
  p95DurationMs: number | null;
}
