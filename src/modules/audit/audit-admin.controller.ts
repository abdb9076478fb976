import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AdminRoute } from '../../core/security/decorators';
import { AuditQueryService } from './audit-query.service';
import { AdminAuditQueryDto, AuditChangesDto, AuditPageDto } from './dto/audit.dto';

@ApiExtraModels(AuditChangesDto) // `changes` refers to it by name
@ApiTags('admin')
@AdminRoute()
@Controller('api/admin/audit')
export class AuditAdminController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'Operator view of the audit log: every tenant, and actions that belong to none',
    description:
      'The same rows, filters and paging as `GET /api/audit`, across tenants: `tenantId` narrows it to one tenant; without it the rows of no tenant (admin-token actions such as this read, failed logins of unknown emails) are listed too. Every call with the admin token is itself recorded (`admin.read`). A bad parameter is a 400 naming it.',
  })
  @ApiOkResponse({ type: AuditPageDto, description: 'One page of audit rows and the cursor of the next' })
  @ApiErrors(400)
  list(@Query() q: AdminAuditQueryDto): Promise<AuditPageDto> {
    return this.audit.listForAdmin(q);
  }
}
