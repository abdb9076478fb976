import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { SYNC_ENTITIES, SYNC_RUN_STATUSES, SyncEntity, SyncRunEntity, SyncRunStatus } from '../entities/sync-run.entity';
import { PageMetaDto } from './pagination.dto';

/** Only the entities that synced have a count; a failed entity is in `errors` instead. */
class SyncRunCountsDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Locations upserted', example: 3 }) locations?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Contacts upserted', example: 250 }) contacts?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Products upserted', example: 40 }) products?: number;
}

class SyncRunErrorDto {
  @ApiProperty({
    enum: [...SYNC_ENTITIES, 'connection'],
    description: 'What failed: one entity, or the connection itself (nothing was pulled)',
  })
  entity: SyncEntity | 'connection';
  @ApiProperty({ description: 'Why, as Nango or the provider said it', example: 'Nango: answered 500' }) message: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 100,
    maximum: 599,
    description: 'HTTP status Nango answered, when it answered',
    example: 500,
  })
  status?: number;
}

export class SyncRunDto {
  @ApiProperty({ format: 'uuid', description: 'Sync run id' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The company synced' }) companyId: string;
  @ApiProperty({
    enum: SYNC_RUN_STATUSES,
    description:
      '`queued`/`running`: in progress; `succeeded`: every entity synced; `partial`: some entities synced, others failed (see errors); `failed`: nothing synced',
  })
  status: SyncRunStatus;
  @ApiProperty({ type: SyncRunCountsDto, description: 'Records upserted per entity synced (empty until the run finishes)' })
  counts: SyncRunCountsDto;
  @ApiProperty({ type: [SyncRunErrorDto], description: 'What failed (empty when everything synced)' }) errors: SyncRunErrorDto[];
  @ApiDateTimeProperty({ nullable: true, description: 'When a worker started the run (null while queued)' }) startedAt: string | null;
  @ApiDateTimeProperty({ nullable: true, description: 'When the run finished (null while in progress)' }) finishedAt: string | null;
  @ApiDateTimeProperty({ description: 'When the run was requested' }) createdAt: string;

  static from(r: SyncRunEntity): SyncRunDto {
    return {
      id: r.id,
      companyId: r.companyId,
      status: r.status,
      counts: r.counts,
      errors: r.errors,
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class SyncRunPageDto extends PageMetaDto {
  @ApiProperty({ type: [SyncRunDto], description: 'Newest first' }) items: SyncRunDto[];
}

export class SyncAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'The run to follow in GET /api/companies/{id}/sync-runs' }) syncRunId: string;
  @ApiProperty({ enum: ['queued', 'running'], description: 'The run is queued, or already running (when joined)' }) status:
    'queued' | 'running';
  @ApiProperty({ description: 'True when a sync of this company was already queued or running; its run is returned' })
  alreadyInProgress: boolean;
}
