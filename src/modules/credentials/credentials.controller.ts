import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Roles } from '../../core/security/decorators';
import { CredentialTester } from './credential-tester.service';
import { CredentialsService } from './credentials.service';
import { CreateCredentialDto, CredentialDto, CredentialTestResultDto, ListCredentialsQueryDto, UpdateCredentialDto } from './dto/credential.dto';

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
  @ApiOperation({ summary: 'Store a credential (secrets encrypted; owner or admin)' })
  @ApiCreatedResponse({ type: CredentialDto })
  @ApiErrors(400, 403, 409)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCredentialDto) {
    return this.credentials.create(user.tenantId, dto);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's credentials (no secrets)" })
  @ApiOkResponse({ type: [CredentialDto] })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: ListCredentialsQueryDto) {
    return this.credentials.list(user.tenantId, query.connectorKey);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One credential (no secrets)' })
  @ApiOkResponse({ type: CredentialDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.credentials.get(user.tenantId, id);
  }

  @Put(':id')
  @Roles('owner', 'admin')
  @ApiOperation({ summary: 'Rename and/or replace the secrets (owner or admin)' })
  @ApiOkResponse({ type: CredentialDto })
  @ApiErrors(400, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @UuidParam('id') id: string, @Body() dto: UpdateCredentialDto) {
    return this.credentials.update(user.tenantId, id, dto);
  }

  @Delete(':id')
  @Roles('owner', 'admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a credential (owner or admin)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 403, 404)
  async remove(@CurrentUser() user: AuthUser, @UuidParam('id') id: string): Promise<void> {
    await this.credentials.remove(user.tenantId, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check the credential against the provider',
    description: 'ok=false when the provider refuses it; 502 when the provider cannot be reached (nothing recorded).',
  })
  @ApiOkResponse({ type: CredentialTestResultDto })
  @ApiErrors(400, 404, 502)
  test(@CurrentUser() user: AuthUser, @UuidParam('id') id: string) {
    return this.tester.test(user.tenantId, id);
  }
}
