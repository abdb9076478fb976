import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import {
  CreatedWorkflowDto,
  CreateWorkflowDto,
  ListWorkflowsQueryDto,
  ToggleWorkflowDto,
  UpdateWorkflowDto,
  WebhookSecretDto,
  WorkflowDto,
  WorkflowPageDto,
} from './dto/workflow.dto';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a workflow',
    description:
      'Validates everything up front (connectors, actions, params schemas, credentials, cron, step names, template references); each problem is a 400 naming its field, e.g. `steps[1].params.city`. With `generateWebhookSecret` the secret is in this response only.',
  })
  @ApiCreatedResponse({ type: CreatedWorkflowDto })
  @ApiErrors(400, 503)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWorkflowDto): Promise<CreatedWorkflowDto> {
    return this.workflows.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's workflows, newest first (paginated)" })
  @ApiOkResponse({ type: WorkflowPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() q: ListWorkflowsQueryDto): Promise<WorkflowPageDto> {
    return this.workflows.list(user, q.page ?? 1, q.limit ?? 20, q.active === undefined ? undefined : q.active === 'true');
  }

  @Get(':id')
  @ApiOperation({ summary: 'One workflow' })
  @ApiOkResponse({ type: WorkflowDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WorkflowDto> {
    return this.workflows.get(user, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Edit a workflow (bumps its version)', description: 'Fields given replace the stored ones; settings merge. Same validation as create.' })
  @ApiOkResponse({ type: WorkflowDto })
  @ApiErrors(400, 404, 409, 503)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateWorkflowDto): Promise<WorkflowDto> {
    return this.workflows.update(user, id, dto);
  }

  @Put(':id/toggle')
  @ApiOperation({ summary: 'Activate or deactivate', description: 'Without a body the state flips. Schedules follow at once.' })
  @ApiOkResponse({ type: WorkflowDto })
  @ApiErrors(400, 404, 503)
  toggle(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: ToggleWorkflowDto = {}): Promise<WorkflowDto> {
    return this.workflows.toggle(user, id, dto?.active);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a workflow and its schedule (its execution log stays)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 503)
  async delete(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.workflows.delete(user, id);
  }

  @Post(':id/webhook-secret')
  @ApiOperation({ summary: 'Generate (or rotate) the webhook signing secret', description: 'The secret is shown once, in this response. Webhook calls must then be signed.' })
  @ApiCreatedResponse({ type: WebhookSecretDto })
  @ApiErrors(400, 404)
  rotateSecret(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WebhookSecretDto> {
    return this.workflows.rotateSecret(user, id);
  }

  @Delete(':id/webhook-secret')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the webhook signing secret (unsigned calls are accepted again)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  async removeSecret(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.workflows.removeSecret(user, id);
  }
}
