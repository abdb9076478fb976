import { Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../../core/errors/api-errors.decorator';
import { ErrorResponseDto } from '../../../core/errors/error-response.dto';
import { JsonObjectBody } from '../../../core/errors/json-object-body';
import { UuidParam } from '../../../core/errors/uuid-param.pipe';
import { Public } from '../../../core/security/decorators';
import { GATEWAY_SECRET_HEADER } from '../templates/plan-builder';
import { GatewayEndpointsService } from './gateway-endpoints.service';

const GATEWAY_HEADER_DOC = {
  name: 'X-Flowgate-Gateway-Secret',
  required: true,
  description: "Added by Kong's request-transformer on the deployment's route; callers never send it themselves",
};

@ApiTags('kong')
@Controller('api/kong')
export class GatewayEndpointsController {
  constructor(private readonly gateway: GatewayEndpointsService) {}

  @Post('bridge/:deploymentId')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'SOAP protocol bridge (reached through Kong)',
    description:
      "JSON in: becomes `{{trigger...}}` for the workflow's soap step; the SOAP answer's Body comes back as JSON. A soap:Fault answers 502 with `details[0].faultcode` and `details[0].faultstring`.",
  })
  @ApiHeader(GATEWAY_HEADER_DOC)
  @ApiBody({ schema: { type: 'object', additionalProperties: true }, description: 'Any JSON object' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true }, description: "The SOAP response Body as JSON, e.g. { GetWeatherResponse: { ... } }" })
  @ApiErrors(400, 401, 404, 409, 502)
  @ApiResponse({ status: 504, description: 'The SOAP service did not answer in time', type: ErrorResponseDto })
  @ApiResponse({ status: 413, description: 'Body over BODY_LIMIT_BYTES, or the soap step would render past RENDER_MAX_STEP_BYTES (code RENDER_LIMIT_EXCEEDED)', type: ErrorResponseDto })
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
    description: "Runs the workflow's read-only steps in parallel with the query string as `{{trigger...}}` and merges their outputs by step name. 207 when some steps failed (never cached by Kong).",
  })
  @ApiHeader(GATEWAY_HEADER_DOC)
  @ApiOkResponse({ schema: { type: 'object', properties: { workflow_id: { type: 'string' }, results: { type: 'object' }, errors: { type: 'object' } } } })
  @ApiResponse({ status: 207, description: 'Some steps failed: their errors are under `errors`' })
  @ApiResponse({ status: 413, description: 'Every step would render past RENDER_MAX_STEP_BYTES or RENDER_MAX_RUN_BYTES (code RENDER_LIMIT_EXCEEDED)', type: ErrorResponseDto })
  @ApiErrors(400, 401, 404, 409, 502)
  async aggregate(
    @UuidParam('deploymentId') deploymentId: string,
    @Headers(GATEWAY_SECRET_HEADER) secret: string | undefined,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const answer = await this.gateway.aggregate(deploymentId, secret, query);
    reply.status(answer.status);
    return answer.body;
  }
}
