import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { OptionalNotNull } from '../../../core/errors/optional-not-null';
import { MAX_INTERVAL_SECONDS, MIN_SCHEDULE_GAP_SECONDS } from './schedule-trigger.types';

export class SchedulePreviewRequestDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: MIN_SCHEDULE_GAP_SECONDS,
    maximum: MAX_INTERVAL_SECONDS,
    example: 600,
    description: 'An interval schedule: every N seconds. Give this or `cron`.',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(MIN_SCHEDULE_GAP_SECONDS)
  @Max(MAX_INTERVAL_SECONDS)
  intervalSeconds?: number;

  @ApiPropertyOptional({
    maxLength: 120,
    example: '30 2 * * *',
    description: 'A cron schedule (5 or 6 fields). Give this or `intervalSeconds`.',
  })
  @OptionalNotNull()
  @IsString()
  @MaxLength(120)
  cron?: string;

  @ApiPropertyOptional({ maxLength: 64, example: 'Europe/Paris', description: 'With `cron` only: its IANA time zone (default UTC)' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 20, default: 5, example: 5, description: 'How many fire times (1 to 20)' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(20)
  count?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "Interval schedules: the saved workflow's id, for its exact times (the scheduler offsets each workflow's ticks by a fixed delay derived from its id). Without it, the times are from now.",
  })
  @OptionalNotNull()
  @IsUUID()
  workflowId?: string;
}

export class SchedulePreviewDto {
  @ApiProperty({
    type: [String],
    example: ['2026-11-29T01:30:00.000Z', '2026-11-30T01:30:00.000Z'],
    description: 'The next fire times, ISO 8601 in UTC, soonest first (fewer than `count` when the expression stops firing)',
  })
  fireTimes: string[];

  @ApiProperty({ example: 'Europe/Paris', description: 'The time zone the schedule is evaluated in (UTC for intervals)' })
  timezone: string;

  @ApiPropertyOptional({ example: 'Cron "30 2 * * *" in Europe/Paris', description: 'The schedule in words' })
  description?: string;
}
