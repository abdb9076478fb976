import { Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorResponseDto } from '../../../core/errors/error-response.dto';
import { JsonObjectBody } from '../../../core/errors/json-object-body';
import { UuidParam } from '../../../core/errors/uuid-param.pipe';
import { Public } from '../../../core/security/decorators';
import { AggregateResponseDto, AggregateStepErrorDto, BRIDGE_REQUEST_SCHEMA, BRIDGE_RESPONSE_SCHEMA } from '../dto/gateway.dto';
import { GATEWAY_SECRET_HEADER } from '../patterns/secrets';
import { GatewayEndpointsService } from './gateway-endpoints.service';

const DEPLOYMENT_PARAM = {
  name: 'deploymentId',
  format: 'uuid',
  description: 'The Kong deployment (its id from POST /api/kong/templates); Kong puts it in the upstream URL',
};

const GATEWAY_401 = "The gateway secret is missing (GATEWAY_SECRET_REQUIRED) or is not this deployment's (GATEWAY_SECRET_INVALID)";

/**
 * Kong's routes call these, not users: they are public to the JWT guard and authenticated by the
 * deployment's gateway secret instead (the `gateway-secret` scheme; Kong's request-transformer adds it).
 */
@ApiTags('kong')
@ApiSecurity('gateway-secret')
@ApiExtraModels(AggregateStepErrorDto)
@Controller('api/kong')
export class GatewayEndpointsController {
  constructor(private readonly gateway: GatewayEndpointsService) {}

  @Post('bridge/:deploymentId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'SOAP protocol bridge (reached through Kong)',
    description:
      "Kong's protocol_bridge route (`POST /workflows/{workflow_id}/bridge`) forwards here. The JSON object sent becomes " +
      "`{{trigger...}}` for the workflow's soap step, " +
      "the step calls the SOAP service, and the SOAP answer's Body comes back as JSON. Needs the deployment's gateway secret (added by Kong). " +
      'Errors: 400 when the body is not a JSON object or leaves the step params invalid (`details[].field` = `params.<name>`); 404 when ' +
      'the deployment is not an active bridge; ' +
      '409 when the workflow no longer has the soap step; 502 SOAP_FAULT with one `details` entry carrying `faultcode` and `faultstring` ' +
      '(and `subcode`, `detail`, `upstreamStatus`); 504 when the SOAP service times out.',
  })
  @ApiParam(DEPLOYMENT_PARAM)
  @ApiBody({ schema: BRIDGE_REQUEST_SCHEMA, required: false, description: 'Any JSON object (absent: the trigger is null)' })
  @ApiOkResponse({ schema: BRIDGE_RESPONSE_SCHEMA, description: 'The SOAP response Body as JSON' })
  @ApiResponse({ status: 401, description: GATEWAY_401, type: ErrorResponseDto })
  @ApiResponse({
    status: 409,
    description:
      'The workflow no longer has the soap step this bridge was made for (KONG_BRIDGE_STEP_MISSING), or its params do not parse (TEMPLATE_INVALID)',
    type: ErrorResponseDto,
  })
  @ApiResponse({
    status: 413,
    description: 'Body over BODY_LIMIT_BYTES, or the soap step would render past RENDER_MAX_STEP_BYTES (code RENDER_LIMIT_EXCEEDED)',
    type: ErrorResponseDto,
  })
  @ApiResponse({
    status: 502,
    description:
      'The SOAP service answered a fault (SOAP_FAULT: `details[0]` has faultcode and faultstring) or failed (BRIDGE_UPSTREAM_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiResponse({ status: 504, description: 'The SOAP service did not answer in time', type: ErrorResponseDto })
  bridge(
    @UuidParam('deploymentId') deploymentId: string,
    @Headers(GATEWAY_SECRET_HEADER) secret: string | undefined,
    @JsonObjectBody() body: Record<string, unknown>,
  ): Promise<unknown> {
    return this.gateway.bridge(deploymentId, secret, body);
  }

  @Get('aggregate/:deploymentId')
  @Public()
  @ApiOperation({
    summary: 'Smart aggregator (reached through Kong, cached there)',
    description:
      "Kong's smart_aggregator route (`GET /workflows/{workflow_id}/aggregate`) forwards here; Kong caches 200 answers. Runs the " +
      "workflow's read-only steps in parallel " +
      "with the query string as `{{trigger...}}` and merges their outputs by step name. Needs the deployment's gateway secret (added by Kong). " +
      '207 when some steps failed (same body, their errors under `errors`; Kong never caches it). When every step fails: 413 ' +
      'RENDER_LIMIT_EXCEEDED if the request made them too large, ' +
      'else 502 AGGREGATE_FAILED; both carry one `details` entry per step with `field` = the step name. 404 when the deployment is not ' +
      'an active aggregator; 409 when its steps are gone.',
  })
  @ApiParam(DEPLOYMENT_PARAM)
  @ApiQuery({
    name: 'trigger',
    required: false,
    style: 'form',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string' }, example: { breed: 'hound' } },
    description: 'Any query parameters (`?breed=hound`): they become `{{trigger...}}` for the steps (a repeated name becomes a list)',
  })
  @ApiOkResponse({ type: AggregateResponseDto, description: 'Every step succeeded: outputs by step name, `errors` empty' })
  @ApiResponse({
    status: 207,
    description: 'Some steps failed: the outputs of the others under `results`, the failures under `errors` (not cached by Kong)',
    content: { 'application/json': { schema: { $ref: getSchemaPath(AggregateResponseDto) } } },
  })
  @ApiResponse({ status: 401, description: GATEWAY_401, type: ErrorResponseDto })
  @ApiResponse({
    status: 409,
    description: 'The workflow no longer has the read-only steps this aggregator was made for (KONG_AGGREGATE_STEPS_MISSING)',
    type: ErrorResponseDto,
  })
  @ApiResponse({
    status: 413,
    description:
      'Every step would render past RENDER_MAX_STEP_BYTES or RENDER_MAX_RUN_BYTES (RENDER_LIMIT_EXCEEDED); `details` has one entry per ' +
      'step, `field` = step name',
    type: ErrorResponseDto,
  })
  @ApiResponse({
    status: 502,
    description:
      'Every step failed (AGGREGATE_FAILED); `details` has one entry per step, `field` = step name, with its `code` and `status`',
    type: ErrorResponseDto,
  })
  async aggregate(
    @UuidParam('deploymentId') deploymentId: string,
    @Headers(GATEWAY_SECRET_HEADER) secret: string | undefined,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AggregateResponseDto> {
    const answer = await this.gateway.aggregate(deploymentId, secret, query);
    reply.status(answer.status);
    return answer.body;
  }
}
