import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Roles } from '../../core/security/decorators';
import { AuditQueryService } from './audit-query.service';
import { AuditChangesDto, AuditPageDto, AuditQueryDto } from './dto/audit.dto';

@ApiExtraModels(AuditChangesDto) // `changes` refers to it by name
@ApiTags('audit')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @Roles('owner', 'admin')
  @ApiOperation({
    summary: "The tenant's audit log, newest first (owners and admins)",
    description:
      'Every change a person or the admin token made in this tenant, recorded in the same transaction as the change: who (`actor`), what (`action`, `target`), when, the request id and client address, and the changed fields before and after (a secret field only says `[changed]`, never its value). Filters: `actorId`, `action` (exact, or a prefix like `credential.*`), `targetType`, `targetId`, `from`/`to`. Pages by `cursor` (`nextCursor` of the previous page). Rows are never changed or deleted through the API; they are deleted after AUDIT_RETENTION_DAYS. 403 for a member; a bad parameter is a 400 naming it.',
  })
  @ApiOkResponse({ type: AuditPageDto, description: 'One page of audit rows and the cursor of the next' })
  @ApiErrors(400, 403)
  list(@CurrentUser() user: AuthUser, @Query() q: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.listForTenant(user.tenantId, q);
  }
}
