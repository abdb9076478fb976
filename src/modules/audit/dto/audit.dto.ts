import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DateQuery, IntQuery } from '../../../core/errors/query-params';
import { ApiDateTimeProperty, ApiNullableRefProperty } from '../../../core/openapi/json-schemas';
import type { ActorType } from '../../../core/security/request-actor';
import { AuditEntryEntity } from '../entities/audit-entry.entity';

/** An action name (`member.role_change`), or a prefix ending in `.*` (`workflow.*`). */
export const ACTION_FILTER = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/;

/** Filters and paging of GET /api/audit. */
export class AuditQueryDto {
  @ApiPropertyOptional({
    description: "Only rows by this actor: a user's id, or an admin token's fingerprint (`admin:` and 16 hex digits)",
    maxLength: 64,
    example: '7d0c6f1e-3b1a-4f3e-9a51-0c2b8f0c9e11',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actorId?: string;

  @ApiPropertyOptional({
    description:
      'An action name (`member.role_change`: exactly that action), or a prefix ending in `.*` (`credential.*`: every credential action)',
    maxLength: 64,
    example: 'credential.*',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(ACTION_FILTER, { message: 'action must be an action name like member.role_change, or a prefix like credential.*' })
  action?: string;

  @ApiPropertyOptional({
    description: 'Only rows about this kind of target (`credential`, `member`, `workflow`, ...)',
    maxLength: 32,
    example: 'credential',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  targetType?: string;

  @ApiPropertyOptional({ description: 'Only rows about this target id (usually with `targetType`)', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  targetId?: string;

  @DateQuery({ description: 'Recorded at or after', example: '2026-01-01T00:00:00Z' })
  from?: Date;

  @DateQuery({ description: 'Recorded before' })
  to?: Date;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IntQuery({ min: 1, max: 200, default: 50, description: 'Page size' })
  limit?: number;
}

/** The operator's view: the same filters, any tenant. */
export class AdminAuditQueryDto extends AuditQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only rows of this tenant; without it, every tenant and the rows that belong to none (operator actions, failed logins)',
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'admin_token', 'anonymous'], description: '`anonymous`: nobody signed in yet (a failed login)' })
  type: ActorType;
  @ApiProperty({ nullable: true, type: String, description: "The user's id, or the admin token's fingerprint (never the token)" })
  id: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The user's email; for a failed login, the email that was tried" })
  email: string | null;
}

export class AuditTargetDto {
  @ApiProperty({ description: 'What kind of thing changed', example: 'credential' })
  type: string;
  @ApiProperty({ nullable: true, type: String, description: 'Its id', example: '4f1c2f9e-8b7a-4e1d-9c0b-2a6d5e3f1a77' })
  id: string | null;
}

export class AuditChangesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The changed fields as they were (secret fields read `[set]`)',
    example: { name: 'Stripe (test)' },
  })
  before: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The changed fields as they are now (secret fields read `[changed]`, never a value)',
    example: { name: 'Stripe (live)', secrets: '[changed]' },
  })
  after: Record<string, unknown>;
}

export class AuditEntryDto {
  @ApiProperty({ description: 'Ordered: a later row has a larger id', example: '1042' }) id: string;
  @ApiDateTimeProperty({ description: 'When the change was committed' }) occurredAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The tenant; null for operator actions that belong to none' })
  tenantId: string | null;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ description: '`<target>.<verb>`', example: 'credential.update' }) action: string;
  @ApiProperty({ type: AuditTargetDto }) target: AuditTargetDto;
  @ApiProperty({ nullable: true, type: String, description: 'The X-Request-Id of the request that made the change' }) requestId:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The client address of that request', example: '203.0.113.7' })
  clientIp: string | null;
  @ApiNullableRefProperty(AuditChangesDto, { description: 'The changed fields, before and after; null when the action changes no fields' })
  changes: AuditChangesDto | null;

  static from(row: AuditEntryEntity): AuditEntryDto {
    return {
      id: String(row.id),
      occurredAt: new Date(row.occurredAt).toISOString(),
      tenantId: row.tenantId,
      actor: { type: row.actorType, id: row.actorId, email: row.actorEmail },
      action: row.action,
      target: { type: row.targetType, id: row.targetId },
      requestId: row.requestId,
      clientIp: row.clientIp,
      changes: row.changes,
    };
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first' }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null at the end' }) nextCursor:
    string | null;
}
