import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';

/** `GET /health` and `/health/live`: the process answers. */
export class HealthOkDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' }) status: 'ok';
}

export class ReadyDependencyDto {
  @ApiProperty({ enum: ['up'], description: 'Always `up` here: a dependency down makes readiness 503' }) status: 'up';
}

export class ReadReplicaDependencyDto {
  @ApiProperty({ enum: ['up', 'down'], description: 'Reported only: a read replica that is down fails the log reads, not readiness' })
  status: 'up' | 'down';
}

export class ReadyDependenciesDto {
  @ApiProperty({ type: ReadyDependencyDto, description: 'PostgreSQL' }) database: ReadyDependencyDto;
  @ApiProperty({ type: ReadyDependencyDto, description: 'Redis' }) redis: ReadyDependencyDto;
  @ApiPropertyOptional({ type: ReadReplicaDependencyDto, description: "The logs' read database (DATABASE_READ_URL), when it is set" })
  readDatabase?: ReadReplicaDependencyDto;
}

/** `GET /health/ready`: up or down only (a driver's error text can quote internal addresses). */
export class ReadyDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' }) status: 'ok';
  @ApiProperty({ type: ReadyDependenciesDto, description: 'The dependencies readiness needs' }) dependencies: ReadyDependenciesDto;
}

export class DependencyStatusDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiProperty({
    type: 'number',
    format: 'double',
    minimum: 0,
    description: 'How long the check took, in milliseconds (two decimals)',
    example: 1.27,
  })
  latencyMs: number;
  @ApiPropertyOptional({ description: 'Why the check failed (only when `down`; up to 200 characters)', maxLength: 200 }) error?: string;
}

/**
 * A map of dependency name to its check: `database` and `redis` always, plus the optional ones a
 * deployment has (`nango`, `kong`), which are reported but do not decide the status. Only
 * controllers' extra models reach the document: the health and admin controllers list DependencyStatusDto.
 */
export const ApiDependenciesProperty = () =>
  ApiProperty({
    type: 'object',
    description: 'Each dependency by name: `database` (PostgreSQL) and `redis` always; `nango` and `kong` when configured',
    properties: { database: { $ref: getSchemaPath(DependencyStatusDto) }, redis: { $ref: getSchemaPath(DependencyStatusDto) } },
    required: ['database', 'redis'],
    // `required` above is the map's own list; this keeps `dependencies` itself required in its parent.
    selfRequired: true,
    additionalProperties: { $ref: getSchemaPath(DependencyStatusDto) },
  } as ApiPropertyOptions);

export class MemoryDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Resident set size' }) rssBytes: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) heapUsedBytes: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) heapTotalBytes: number;
}

export const HEALTH_STATUSES = ['ok', 'degraded'] as const;
export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;

/** `GET /health/detailed` (admin token). */
export class DetailedHealthDto {
  @ApiProperty({ enum: HEALTH_STATUSES, description: '`degraded` when PostgreSQL or Redis is down (optional dependencies do not count)' })
  status: (typeof HEALTH_STATUSES)[number];
  @ApiProperty({ description: 'The running version', example: '0.1.0' }) version: string;
  @ApiProperty({ enum: PROCESS_ROLES, description: 'What this process runs (ROLE): HTTP API, queue workers, or both' })
  role: (typeof PROCESS_ROLES)[number];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Seconds since this process started' }) uptimeSeconds: number;
  @ApiProperty({ type: MemoryDto, description: 'Process memory, in bytes' }) memory: MemoryDto;
  @ApiDependenciesProperty() dependencies: Record<string, DependencyStatusDto>;
}
