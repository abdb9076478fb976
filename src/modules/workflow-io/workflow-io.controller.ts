import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import { CreatedWorkflowDto } from '../workflows';
import { WORKFLOW_DOCUMENT_EXAMPLE } from '../workflows';
import { ApiWorkflowIdParam } from '../workflows';
import { WorkflowDocumentDto } from './dto/workflow-document.dto';
import { WorkflowIoService } from './workflow-io.service';

@ApiTags('workflows')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/workflows')
export class WorkflowIoController {
  constructor(private readonly io: WorkflowIoService) {}

  @Post('import')
  @ApiOperation({
    summary: 'Import a workflow document (e.g. a file from examples/)',
    description:
      "Creates a new workflow from a document made by export. Each step's `credential` is a credential NAME resolved in your tenant; any name you do not have is a 400 `IMPORT_CREDENTIALS_MISSING` listing them (create them with POST /api/credentials, then import again), one made for another connector a 400 `IMPORT_CREDENTIALS_MISMATCH`. Then the same validation as POST /api/workflows applies (400 VALIDATION_FAILED naming each field). 503 when the job queue cannot take the schedule.",
  })
  @ApiBody({
    type: WorkflowDocumentDto,
    examples: {
      greetBigOrders: {
        summary: 'A document that needs no credentials (webhook → transform → condition)',
        value: WORKFLOW_DOCUMENT_EXAMPLE,
      },
    },
  })
  @ApiCreatedResponse({ type: CreatedWorkflowDto, description: 'The new workflow (a new id; no webhook secret)' })
  @ApiErrors(400, 503)
  import(@CurrentUser() user: AuthUser, @Body() doc: WorkflowDocumentDto): Promise<CreatedWorkflowDto> {
    return this.io.import(user, doc);
  }

  @Get(':id/export')
  @ApiOperation({
    summary: 'Export a workflow as a portable document',
    description:
      'Trigger, steps, params and settings; credentials by name only (listed in `credentials`). No ids, no webhook secret, no credential secrets. POST the answer to /api/workflows/import, here or in another tenant.',
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: WorkflowDocumentDto, description: 'The portable document' })
  @ApiErrors(400, 404)
  export(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WorkflowDocumentDto> {
    return this.io.export(user, id);
  }
}
