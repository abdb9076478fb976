import { ApiProperty } from '@nestjs/swagger';
import { IntQuery } from '../../../core/errors/query-params';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';

/** The widest window the dashboard summarises: a week of hourly buckets. */
export const MAX_DASHBOARD_HOURS = 168;

export class DashboardQueryDto {
  @IntQuery({ min: 1, max: MAX_DASHBOARD_HOURS, default: 24, description: 'The window: runs received in the last `hours` hours' })
  hours?: number;
}

export class DashboardWindowDto {
  @ApiDateTimeProperty({ description: 'Start of the window (inclusive): `to` minus `hours`' }) from: string;
  @ApiDateTimeProperty({ description: 'End of the window (inclusive): when the answer was computed' }) to: string;
}

const count = (description: string, example: number) => ApiProperty({ type: 'integer', minimum: 0, description, example });

export class RunsByStatusDto {
  @count('Accepted, not yet started (recorded rows only)', 0) queued: number;
  @count('Started, not yet finished', 1) running: number;
  @count('Finished without error', 120) succeeded: number;
  @count('Finished with an error', 4) failed: number;
  @count('Stopped before finishing', 0) cancelled: number;
}

export class DashboardRunsDto {
  @count('Recorded executions received in the window', 125) total: number;
  @ApiProperty({ type: RunsByStatusDto, description: 'Recorded executions in the window per status; every status is present' })
  byStatus: RunsByStatusDto;
  @ApiProperty({
    nullable: true,
    type: 'number',
    format: 'double',
    minimum: 0,
    maximum: 1,
    example: 0.9677,
    description: 'succeeded / (succeeded + failed) in the window, 0..1; null when no run has succeeded or failed',
  })
  successRate: number | null;
}

export class RunsPerHourDto {
  @ApiDateTimeProperty({ description: 'Start of the hour (UTC); every hour of the window is present, oldest first' }) hour: string;
  @count('Runs received in this hour that succeeded', 5) succeeded: number;
  @count('Runs received in this hour that failed', 1) failed: number;
  @count('Runs received in this hour still queued or running, or cancelled', 0) other: number;
}

export class SlowWorkflowDto {
  @ApiProperty({ format: 'uuid' }) workflowId: string;
  @ApiProperty({ description: 'Current name of the workflow (the name it ran under, if it was deleted)', example: 'Order sync' })
  name: string;
  @count('Finished runs (succeeded or failed) in the window', 42) runs: number;
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, example: 1830, description: '95th percentile duration of those runs (ms)' })
  p95DurationMs: number;
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, example: 640.5, description: 'Mean duration of those runs (ms)' })
  avgDurationMs: number;
}

export class FailingWorkflowDto {
  @ApiProperty({ format: 'uuid' }) workflowId: string;
  @ApiProperty({ description: 'Current name of the workflow (the name it ran under, if it was deleted)', example: 'Invoice push' })
  name: string;
  @count('Recorded runs of this workflow in the window', 20) runs: number;
  @count('Of those, the failed ones (at least 1)', 3) failed: number;
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, maximum: 1, example: 0.15, description: 'failed / runs, 0..1' })
  failureRate: number;
}

export class DashboardQueueDto {
  @count('This tenant’s runs waiting for a worker (waiting, prioritized or paused)', 2) waiting: number;
  @count('This tenant’s runs a worker is running now', 1) active: number;
  @count('This tenant’s runs waiting to be retried or for their time', 0) delayed: number;
  @ApiProperty({
    description:
      'False when a queue state held more jobs than the bounded look at the queue covers (100 per state), or the queue could not be read: the counts are then a lower bound',
    example: true,
  })
  complete: boolean;
}

/** GET /api/dashboard: one tenant's activity over a recent window, for the console's first page. */
export class DashboardDto {
  @count('Workflows that are active (their triggers fire)', 3) activeWorkflows: number;
  @count('All workflows of the tenant', 5) totalWorkflows: number;
  @ApiProperty({ type: DashboardWindowDto, description: 'The window the run figures cover' }) window: DashboardWindowDto;
  @ApiProperty({ type: DashboardRunsDto, description: 'Recorded executions received in the window' }) runs: DashboardRunsDto;
  @ApiProperty({ type: [RunsPerHourDto], description: 'Runs received per hour of the window, oldest first (every hour present)' })
  runsPerHour: RunsPerHourDto[];
  @ApiProperty({
    type: [SlowWorkflowDto],
    maxItems: 5,
    description: 'Up to 5 workflows with the highest p95 duration of finished runs in the window',
  })
  slowest: SlowWorkflowDto[];
  @ApiProperty({
    type: [FailingWorkflowDto],
    maxItems: 5,
    description: 'Up to 5 workflows with failed runs in the window, most failures first (then highest failure rate)',
  })
  mostFailing: FailingWorkflowDto[];
  @ApiProperty({ type: DashboardQueueDto, description: 'This tenant’s jobs in the executions queue right now' }) queue: DashboardQueueDto;
  @ApiDateTimeProperty({ description: 'When this answer was computed' }) generatedAt: string;
}
