import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../core/errors/error-response.dto';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import { ApplyKongTemplateDto, KongApplyResultDto, KongDeploymentDto, KongStatusDto } from './dto/kong-template.dto';
import { KongStatusService } from './kong-status.service';
import { KongTemplatesService } from './kong-templates.service';

const ID_PARAM = { name: 'id', format: 'uuid', description: 'The deployment id (from POST /api/kong/templates or the list)' };
const KONG_503 =
  'Kong is not configured (KONG_NOT_CONFIGURED: KONG_ADMIN_URL is empty) or unreachable (KONG_UNREACHABLE), or PostgreSQL/Redis is unavailable';

@ApiTags('kong')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/kong')
export class KongController {
  constructor(
    private readonly templates: KongTemplatesService,
    private readonly status: KongStatusService,
  ) {}

  @Get('status')
  @ApiOperation({
    summary: "Kong's status (GET /status of its Admin API)",
    description:
      "Asks Kong's Admin API for its status and says which mode Flowgate drives it in. 503 when Kong is not configured or unreachable; " +
      '502 when it answers an error.',
  })
  @ApiOkResponse({ type: KongStatusDto, description: 'Kong answered: its status, as Kong reports it' })
  @ApiErrors(502)
  @ApiResponse({ status: 503, description: KONG_503, type: ErrorResponseDto })
  getStatus(): Promise<KongStatusDto> {
    return this.status.status();
  }

  @Post('templates')
  @ApiOperation({
    summary: 'Put a workflow behind Kong with a gateway pattern',
    description:
      'Use cases: protocol_bridge (REST → SOAP bridge), webhook_handler (rate-limited webhook), smart_aggregator (cached parallel ' +
      'read-only steps), ' +
      'federated_security (key-auth or oauth2; the generated credential is returned once), usage_tracking (http-log into usage metering). ' +
      'Applying the same template again answers 200 with the same deployment and creates nothing new. ' +
      'Needs Kong (KONG_ADMIN_URL; 503 KONG_NOT_CONFIGURED without it) and, for usage_tracking, KONG_USAGE_SECRET. ' +
      'Errors: 400 naming the bad field (`options.<name>`, or `workflow_id` when the workflow lacks the steps the use case needs) or ' +
      "Kong's own refusal; " +
      '404 when the workflow is not yours; 409 when Kong holds a conflicting entity (KONG_UNIQUE_VIOLATION, or KONG_BASE_CONFIG_CONFLICT ' +
      'in DB-less mode); 502 when Kong fails.',
  })
  @ApiCreatedResponse({ type: KongApplyResultDto, description: 'Deployment created' })
  @ApiOkResponse({ type: KongApplyResultDto, description: 'Same template already applied: nothing new was made' })
  @ApiErrors(400, 404, 502)
  @ApiResponse({
    status: 409,
    description: 'Kong holds an entity that conflicts with the deployment (KONG_UNIQUE_VIOLATION, KONG_BASE_CONFIG_CONFLICT)',
    type: ErrorResponseDto,
  })
  @ApiResponse({ status: 503, description: KONG_503, type: ErrorResponseDto })
  async apply(
    @CurrentUser() user: AuthUser,
    @Body() dto: ApplyKongTemplateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<KongApplyResultDto> {
    const result = await this.templates.apply(user, dto);
    reply.status(result.created ? 201 : 200);
    return result;
  }

  @Get('templates')
  @ApiOperation({
    summary: "Your tenant's Kong deployments",
    description: "Every deployment of your tenant, from Flowgate's records (Kong is not called, so this works without it).",
  })
  @ApiOkResponse({ type: [KongDeploymentDto], description: 'The deployments' })
  list(@CurrentUser() user: AuthUser): Promise<KongDeploymentDto[]> {
    return this.templates.list(user);
  }

  @Get('templates/:id')
  @ApiOperation({
    summary: 'One Kong deployment',
    description: "One deployment of your tenant, from Flowgate's records. 404 when it does not exist or is another tenant's.",
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: KongDeploymentDto, description: 'The deployment' })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<KongDeploymentDto> {
    return this.templates.get(user, id);
  }

  @Delete('templates/:id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Remove a Kong deployment and everything it made in Kong',
    description:
      'Deletes what the deployment made in Kong (found by its `deployment:<id>` tag; DB-less: reloads the config without it), then the ' +
      "deployment. The workflow's webhook is directly callable again once no pattern fronts it. " +
      '404 when it is not yours; 409 when Kong refuses the change (a conflicting entity); 502/503 when Kong fails or is not reachable ' +
      '(the deployment is kept).',
  })
  @ApiParam(ID_PARAM)
  @ApiNoContentResponse({ description: 'Removed from Kong and from Flowgate' })
  @ApiErrors(400, 404, 409, 502)
  @ApiResponse({ status: 503, description: KONG_503, type: ErrorResponseDto })
  async remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.templates.remove(user, id);
  }
}
