import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser } from '../../core/security/decorators';
import { ApplyKongTemplateDto, KongApplyResultDto, KongDeploymentDto, KongStatusDto } from './dto/kong-template.dto';
import { KongStatusService } from './kong-status.service';
import { KongTemplatesService } from './kong-templates.service';

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
  @ApiOperation({ summary: "Kong's status (GET /status of its Admin API)", description: '503 when Kong is not configured or unreachable.' })
  @ApiOkResponse({ type: KongStatusDto })
  @ApiErrors(502, 503)
  getStatus(): Promise<KongStatusDto> {
    return this.status.status();
  }

  @Post('templates')
  @ApiOperation({
    summary: 'Put a workflow behind Kong with a gateway pattern',
    description:
      'Use cases: protocol_bridge (REST → SOAP bridge), webhook_handler (rate-limited webhook), smart_aggregator (cached parallel read-only steps), ' +
      'federated_security (key-auth or oauth2; the generated credential is returned once), usage_tracking (http-log into usage metering). ' +
      'Applying the same template again answers 200 with the same deployment and creates nothing new.',
  })
  @ApiCreatedResponse({ type: KongApplyResultDto, description: 'Deployment created' })
  @ApiOkResponse({ type: KongApplyResultDto, description: 'Same template already applied: nothing new was made' })
  @ApiErrors(400, 404, 409, 502, 503)
  async apply(@CurrentUser() user: AuthUser, @Body() dto: ApplyKongTemplateDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<KongApplyResultDto> {
    const result = await this.templates.apply(user, dto);
    reply.status(result.created ? 201 : 200);
    return result;
  }

  @Get('templates')
  @ApiOperation({ summary: "The tenant's Kong deployments" })
  @ApiOkResponse({ type: [KongDeploymentDto] })
  list(@CurrentUser() user: AuthUser): Promise<KongDeploymentDto[]> {
    return this.templates.list(user);
  }

  @Get('templates/:id')
  @ApiOperation({ summary: 'One Kong deployment' })
  @ApiOkResponse({ type: KongDeploymentDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<KongDeploymentDto> {
    return this.templates.get(user, id);
  }

  @Delete('templates/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a Kong deployment and everything it made in Kong (found by its tags)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409, 502, 503)
  async remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.templates.remove(user, id);
  }
}
