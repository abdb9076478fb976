import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../core/errors/api-errors.decorator';
import { UuidParam } from '../../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../../core/security/auth-user';
import { CurrentUser } from '../../../core/security/decorators';
import { WorkflowDto } from '../dto/workflow.dto';
import {
  ListVersionsQueryDto,
  RollbackWorkflowDto,
  VersionDiffQueryDto,
  WorkflowVersionDiffDto,
  WorkflowVersionDto,
  WorkflowVersionPageDto,
} from '../dto/workflow-version.dto';
import { ApiWorkflowIdParam } from '../dto/workflow-id-param';
import { WorkflowsService } from '../workflows.service';
import { VERSION_PATTERN, WorkflowVersionsService } from './workflow-versions.service';

/**
 * `{version}` is documented as a string of digits, not an integer: it is parsed after the
 * workflow was found (see parseVersion), so another tenant's workflow is a 404 whatever it says.
 */
const ApiVersionParam = () =>
  ApiParam({
    name: 'version',
    schema: { type: 'string', pattern: VERSION_PATTERN.source, example: '2' },
    description:
      'A version number (1 to 2147483647) from GET /api/workflows/{id}/versions; for a workflow of the tenant, anything else is a 400 naming `version`',
  });

@ApiTags('workflows')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/workflows')
export class WorkflowVersionsController {
  constructor(
    private readonly versions: WorkflowVersionsService,
    private readonly workflows: WorkflowsService,
  ) {}

  @Get(':id/versions')
  @ApiOperation({
    summary: "A workflow's saved versions, newest first (paginated)",
    description:
      "Every save (create, edit, rollback, import) keeps the definition it saved as a version; activating or deactivating is not a version. `current` marks the version the workflow runs now. 404 for an unknown workflow or another tenant's.",
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: WorkflowVersionPageDto, description: 'One page of versions and the total count' })
  @ApiErrors(400, 404)
  list(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() q: ListVersionsQueryDto): Promise<WorkflowVersionPageDto> {
    return this.versions.list(user, id, q.page ?? 1, q.limit ?? 20);
  }

  @Get(':id/versions/:version')
  @ApiOperation({
    summary: 'The full definition of one version',
    description:
      "Name, description, trigger, steps, settings and error workflow as saved in that version (an execution links here with `workflowVersionUrl`). 404 for an unknown version, an unknown workflow or another tenant's.",
  })
  @ApiWorkflowIdParam()
  @ApiVersionParam()
  @ApiOkResponse({ type: WorkflowVersionDto, description: 'The version' })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Param('version') version: string): Promise<WorkflowVersionDto> {
    return this.versions.get(user, id, version);
  }

  @Get(':id/versions/:version/diff')
  @ApiOperation({
    summary: 'What changed between two versions',
    description:
      'The changes from version `against` (default: the one before) to the version in the path, over name, description, trigger, steps, settings and errorWorkflowId, each with a JSON pointer. Steps are matched by name, so an inserted step is one `added` (not every later step `changed`) and a reordered step is `moved`. Version 1 without `against` lists everything as `added`. 404 for an unknown version.',
  })
  @ApiWorkflowIdParam()
  @ApiVersionParam()
  @ApiOkResponse({ type: WorkflowVersionDiffDto, description: 'The changes (empty when the definitions are equal)' })
  @ApiErrors(400, 404)
  diff(
    @CurrentUser() user: AuthUser,
    @UuidParam('id') id: string,
    @Param('version') version: string,
    @Query() q: VersionDiffQueryDto,
  ): Promise<WorkflowVersionDiffDto> {
    return this.versions.diff(user, id, version, q.against);
  }

  @Post(':id/rollback')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Roll back to an earlier version (as a new version)',
    description:
      "The chosen version's definition becomes current as a NEW version (history is kept); `active` stays as it is. It is validated again like an edit (a credential deleted since is a 400 naming the field; nothing is saved), an error workflow deleted since is restored as none, and the trigger is re-synced (a schedule takes the old timing at once). With `expectedVersion`, a workflow changed since answers 409 VERSION_CONFLICT. Recorded in the audit log as `workflow.rollback`. 503 when the job queue cannot take the schedule change (nothing is saved).",
  })
  @ApiWorkflowIdParam()
  @ApiBody({
    type: RollbackWorkflowDto,
    examples: { undoLastEdit: { summary: 'Undo the first edit (version 2 back to version 1)', value: { version: 1, expectedVersion: 2 } } },
  })
  @ApiOkResponse({ type: WorkflowDto, description: 'The workflow as now stored (its new version)' })
  @ApiErrors(400, 404, 409, 503)
  rollback(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: RollbackWorkflowDto): Promise<WorkflowDto> {
    return this.workflows.rollback(user, id, dto);
  }
}
