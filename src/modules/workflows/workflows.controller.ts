import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
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
  WorkflowLastRunDto,
  WorkflowPageDto,
} from './dto/workflow.dto';
import { CREATE_WORKFLOW_EXAMPLE, TOGGLE_WORKFLOW_EXAMPLE, UPDATE_WORKFLOW_EXAMPLE } from './dto/workflow-examples';
import { ApiWorkflowIdParam } from './dto/workflow-id-param';
import { WorkflowsService } from './workflows.service';

// A nullable reference (anyOf) is not followed by the scanner: its model is registered here.
@ApiExtraModels(WorkflowLastRunDto)
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
      'Stores a workflow started by a webhook (POST to its `webhookPath`) or a schedule (`intervalSeconds` or `cron`). Validates everything up front (connectors, actions, params schemas, credentials, cron, step names, template references); each problem is a 400 VALIDATION_FAILED naming its field, e.g. `steps[1].params.city`. Templates read `{{trigger...}}` (or its GoFlow form `{{user.name}}`), `{{steps.<earlier step>...}}` and `{{execution...}}`. With `generateWebhookSecret` the secret is in this response only. 503 when the job queue cannot take a schedule (nothing is saved).',
  })
  @ApiBody({
    type: CreateWorkflowDto,
    examples: { greetBigOrders: { summary: 'Webhook → transform → condition (no credentials needed)', value: CREATE_WORKFLOW_EXAMPLE } },
  })
  @ApiCreatedResponse({ type: CreatedWorkflowDto, description: 'Created; `webhookSecret` only when one was generated' })
  @ApiErrors(400, 503)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWorkflowDto): Promise<CreatedWorkflowDto> {
    return this.workflows.create(user, dto);
  }

  @Get()
  @ApiOperation({
    summary: "The tenant's workflows, newest first (paginated)",
    description:
      'Pages of at most `limit` workflows, optionally only active or only inactive ones. A bad `page`, `limit` or `active` is a 400 naming it.',
  })
  @ApiOkResponse({ type: WorkflowPageDto, description: 'One page and the total count' })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() q: ListWorkflowsQueryDto): Promise<WorkflowPageDto> {
    return this.workflows.list(user, q.page ?? 1, q.limit ?? 20, q.active);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One workflow',
    description: "The workflow with its steps and settings (never its webhook secret). 404 for an unknown id or another tenant's.",
  })
  @ApiWorkflowIdParam()
  @ApiOkResponse({ type: WorkflowDto, description: 'The workflow' })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WorkflowDto> {
    return this.workflows.get(user, id);
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Edit a workflow (bumps its version)',
    description:
      'Fields given replace the stored ones (`steps` replaces every step); `settings` merge. Same validation as create (400 naming each field). With `expectedVersion`, a workflow changed since answers 409 VERSION_CONFLICT. 503 when the job queue cannot take a schedule change (nothing is saved).',
  })
  @ApiWorkflowIdParam()
  @ApiBody({
    type: UpdateWorkflowDto,
    examples: {
      raiseThreshold: { summary: 'Rename, GoFlow-form templates, higher threshold, one more retry', value: UPDATE_WORKFLOW_EXAMPLE },
    },
  })
  @ApiOkResponse({ type: WorkflowDto, description: 'The workflow as now stored' })
  @ApiErrors(400, 404, 409, 503)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateWorkflowDto): Promise<WorkflowDto> {
    return this.workflows.update(user, id, dto);
  }

  @Put(':id/toggle')
  @ApiOperation({
    summary: 'Activate or deactivate a workflow',
    description:
      'Sets `active` (required: a body without it is a 400 naming `active`). An inactive workflow answers its webhook with 404 and its schedule stops at once; activating resumes both. 503 when the job queue cannot take the schedule change (nothing is saved).',
  })
  @ApiWorkflowIdParam()
  @ApiBody({ type: ToggleWorkflowDto, examples: { deactivate: { summary: 'Deactivate', value: TOGGLE_WORKFLOW_EXAMPLE } } })
  @ApiOkResponse({ type: WorkflowDto, description: 'The workflow with its new state' })
  @ApiErrors(400, 404, 503)
  toggle(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: ToggleWorkflowDto): Promise<WorkflowDto> {
    return this.workflows.toggle(user, id, dto.active);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a workflow and its schedule (its execution log stays)',
    description:
      'Removes the workflow, its schedule and its webhook; past executions stay readable in the log. 503 when the job queue cannot drop the schedule (nothing is deleted).',
  })
  @ApiWorkflowIdParam()
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 503)
  async delete(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.workflows.delete(user, id);
  }

  @Post(':id/webhook-secret')
  @ApiOperation({
    summary: 'Generate (or rotate) the webhook signing secret',
    description:
      'The secret is shown once, in this response; the previous one stops working at once. Webhook calls must then be signed (the `webhook-signature` scheme).',
  })
  @ApiWorkflowIdParam()
  @ApiCreatedResponse({ type: WebhookSecretDto, description: 'The new secret and how to sign with it' })
  @ApiErrors(400, 404)
  rotateSecret(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<WebhookSecretDto> {
    return this.workflows.rotateSecret(user, id);
  }

  @Delete(':id/webhook-secret')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove the webhook signing secret',
    description: 'Unsigned webhook calls are accepted again. Answers 204 whether or not the workflow had a secret.',
  })
  @ApiWorkflowIdParam()
  @ApiNoContentResponse({ description: 'The workflow has no secret now' })
  @ApiErrors(400, 404)
  async removeSecret(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.workflows.removeSecret(user, id);
  }
}
