import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import {
  ApiDependenciesProperty,
  DependencyStatusDto,
  HEALTH_STATUSES,
  MemoryDto,
  PROCESS_ROLES,
} from '../../../core/health/dto/health.dto';
import { ApiJsonObjectProperty } from '../../../core/openapi/json-schemas';

export const ENVIRONMENTS = ['development', 'production', 'test'] as const;

export class SystemMemoryDto extends MemoryDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Memory of C++ objects bound to JavaScript (buffers)' }) externalBytes: number;
}

export class QueuesUnavailableDto {
  @ApiProperty({
    description: 'Why the queue counts could not be read (Redis away)',
    example: 'queue counts unavailable: no answer within 2000 ms',
  })
  error: string;
}

/** Job counts by state, per queue name. */
const QUEUE_COUNTS_SCHEMA = {
  type: 'object',
  description: 'Each queue (`executions`, `maintenance`, `company-sync`, `token-refresh`) with its job counts by state',
  additionalProperties: {
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    example: { waiting: 0, active: 1, delayed: 0, failed: 0, completed: 12, prioritized: 0 },
  },
} as const;

/** `GET /api/admin/system/health`: the operator's report; features add their own sections. */
export class SystemHealthDto {
  @ApiProperty({ enum: HEALTH_STATUSES, description: '`degraded` when PostgreSQL or Redis is down (optional dependencies do not count)' })
  status: (typeof HEALTH_STATUSES)[number];
  @ApiProperty({ description: 'The running version', example: '0.1.0' }) version: string;
  @ApiProperty({ enum: ENVIRONMENTS, description: 'NODE_ENV' }) environment: (typeof ENVIRONMENTS)[number];
  @ApiProperty({ enum: PROCESS_ROLES, description: 'What this process runs (ROLE): HTTP API, queue workers, or both' })
  role: (typeof PROCESS_ROLES)[number];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Seconds since this process started' }) uptimeSeconds: number;
  @ApiProperty({ type: SystemMemoryDto, description: 'Process memory, in bytes' }) memory: SystemMemoryDto;
  @ApiDependenciesProperty() dependencies: Record<string, DependencyStatusDto>;
  @ApiProperty({
    description: 'Job counts per queue, or why they could not be read',
    anyOf: [QUEUE_COUNTS_SCHEMA, { $ref: getSchemaPath(QueuesUnavailableDto) }],
  })
  queues: Record<string, Record<string, number>> | QueuesUnavailableDto;
  @ApiJsonObjectProperty({
    required: false,
    description:
      'Marketplace: whether Nango is configured and reachable, companies by status, token refresh figures of the last hour and the refresh queue (or `error` when the section failed)',
  })
  nango?: Record<string, unknown>;
  @ApiJsonObjectProperty({
    required: false,
    description: 'Kong Gateway: its mode and status (or `error`); present when the Kong module runs',
  })
  kong?: Record<string, unknown>;
}
