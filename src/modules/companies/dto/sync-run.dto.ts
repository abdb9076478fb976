import { ApiProperty } from '@nestjs/swagger';
import { SyncRunEntity } from '../entities/sync-run.entity';

const STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed'];

class SyncRunErrorDto {
  @ApiProperty({ enum: ['locations', 'contacts', 'products', 'connection'] }) entity: string;
  @ApiProperty() message: string;
  @ApiProperty({ required: false }) status?: number;
}

export class SyncRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) companyId: string;
  @ApiProperty({ enum: STATUSES, description: '`partial`: some entities synced, others failed (see errors)' }) status: string;
  @ApiProperty({ description: 'Records upserted per entity', example: { locations: 3, contacts: 250, products: 40 } })
  counts: Record<string, number>;
  @ApiProperty({ type: [SyncRunErrorDto] }) errors: SyncRunErrorDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static from(r: SyncRunEntity): SyncRunDto {
    return {
      id: r.id,
      companyId: r.companyId,
      status: r.status,
      counts: r.counts as Record<string, number>,
      errors: r.errors,
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

export class SyncRunPageDto {
  @ApiProperty({ type: [SyncRunDto] }) items: SyncRunDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}

export class SyncAcceptedDto {
  @ApiProperty({ format: 'uuid' }) syncRunId: string;
  @ApiProperty({ enum: ['queued', 'running'] }) status: string;
  @ApiProperty({ description: 'True when a sync of this company was already queued or running; its run is returned' })
  alreadyInProgress: boolean;
}
