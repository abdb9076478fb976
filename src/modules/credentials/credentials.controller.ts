import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
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
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Roles } from '../../core/security/decorators';
import { CredentialTester } from './credential-tester.service';
import { CredentialsService } from './credentials.service';
import {
  CreateCredentialDto,
  CredentialDto,
  CredentialTestResultDto,
  DeleteCredentialQueryDto,
  ListCredentialsQueryDto,
  UpdateCredentialDto,
} from './dto/credential.dto';

const CREDENTIAL_ID = ApiParam({ name: 'id', format: 'uuid', description: 'Credential id' });

/** Connector credentials of the caller's tenant. Secrets go in, only masked hints come out. */
@ApiTags('credentials')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/credentials')
export class CredentialsController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly tester: CredentialTester,
  ) {}

  @Post()
  @Roles('owner', 'admin')
  @ApiOperation({
    summary: 'Store a credential (secrets encrypted; owner or admin)',
    description:
      'Stores secrets for one connector and auth kind (the fields are in `credentialSchemas` of GET /api/connectors/{key}), encrypted; only a masked hint is ever returned. ' +
      'Generic connectors (http, soap) need `allowedHosts`. 400 names each bad field; 403 for members; 409 CREDENTIAL_NAME_TAKEN when the name is in use.',
  })
  @ApiCreatedResponse({ type: CredentialDto, description: 'The stored credential (no secrets)' })
  @ApiErrors(400, 403, 409)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCredentialDto) {
    return this.credentials.create(user.tenantId, dto);
  }

  @Get()
  @ApiOperation({
    summary: "The tenant's credentials (no secrets)",
    description: 'Every credential of your tenant by name, optionally for one connector; secrets are never returned.',
  })
  @ApiOkResponse({ type: [CredentialDto], description: 'The credentials, by name' })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: ListCredentialsQueryDto) {
    return this.credentials.list(user.tenantId, query.connectorKey);
  }

  @Get(':id')
  @CREDENTIAL_ID
  @ApiOperation({
    summary: 'One credential (no secrets)',
    description: 'Its masked hint, hosts, last test result and whether steps can use it. 404 for an unknown id or another tenant’s.',
  })
  @ApiOkResponse({ type: CredentialDto, description: 'The credential' })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.credentials.get(user.tenantId, id);
  }

  @Put(':id')
  @Roles('owner', 'admin')
  @CREDENTIAL_ID
  @ApiOperation({
    summary: 'Rename and/or replace the secrets (owner or admin)',
    description:
      'Changes only the fields sent: `name`, `secrets` (replaced as a whole; clears the last test), `authKind` (needs new `secrets`), `allowedHosts`. Workflows using it pick the change up on their next run. 409 CREDENTIAL_NAME_TAKEN when the new name is in use.',
  })
  @ApiOkResponse({ type: CredentialDto, description: 'The credential after the change' })
  @ApiErrors(400, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateCredentialDto) {
    return this.credentials.update(user.tenantId, id, dto);
  }

  @Delete(':id')
  @Roles('owner', 'admin')
  @HttpCode(204)
  @CREDENTIAL_ID
  @ApiOperation({
    summary: 'Delete a credential (owner or admin)',
    description:
      'Refused with 409 CREDENTIAL_IN_USE while workflow steps use it: the message and `details` (`field: "workflows"`, the workflow name as `message`, its `workflowId`) name them. ' +
      'With `force=true` it is deleted anyway: those steps keep its id, their runs fail at that step with CREDENTIAL_NOT_FOUND, and saving such a workflow asks for another credential.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 403, 404, 409)
  async remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Query() query: DeleteCredentialQueryDto): Promise<void> {
    await this.credentials.remove(user.tenantId, id, query.force === true);
  }

  @Post(':id/test')
  @HttpCode(200)
  @CREDENTIAL_ID
  @ApiOperation({
    summary: 'Check the credential against the provider',
    description:
      'Asks the provider whether it accepts the credential and records the answer (lastTestedAt, lastTestOk). ok=false when the provider refuses it; 502 when the provider cannot be reached (nothing recorded); ' +
      '500 CREDENTIAL_UNREADABLE when its secrets cannot be decrypted (sealed with a key that is not configured, or damaged).',
  })
  @ApiOkResponse({ type: CredentialTestResultDto, description: 'What the provider said' })
  @ApiErrors(400, 404, 502)
  @ApiResponse({
    status: 500,
    type: ErrorResponseDto,
    description:
      'CREDENTIAL_UNREADABLE: the secrets cannot be decrypted (an operator must configure the key in ENCRYPTION_OLD_KEYS, or store the credential again)',
  })
  test(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.tester.test(user.tenantId, id);
  }
}
