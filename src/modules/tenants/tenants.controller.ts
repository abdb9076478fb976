import { Body, Controller, Delete, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiCreatedResponse, ApiNoContentResponse } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard';
import { CurrentUser, Roles } from '../../core/security/decorators';
import { AddMemberDto, ChangeRoleDto, MemberDto, TenantDto } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/tenants/current')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's tenant" })
  @ApiOkResponse({ type: TenantDto })
  current(@CurrentUser() user: AuthUser) {
    return this.tenants.current(user);
  }

  @Get('members')
  @ApiOperation({ summary: 'Members of the tenant' })
  @ApiOkResponse({ type: [MemberDto] })
  members(@CurrentUser() user: AuthUser) {
    return this.tenants.members(user);
  }

  @Post('members')
  @Roles('owner', 'admin')
  // Budgeted like login (per client address and per email): the route takes a password and an email.
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({
    summary: 'Add a member (owner or admin)',
    description:
      'Creates an account in this tenant. An email is unique per tenant: an account with the same email in another tenant is a separate account and is never revealed. 409 MEMBER_EXISTS only when the email is already a member here. Rate limited like login (429 + Retry-After).',
  })
  @ApiCreatedResponse({ type: MemberDto })
  @ApiErrors(400, 403, 409, 429)
  add(@CurrentUser() user: AuthUser, @Body() dto: AddMemberDto) {
    return this.tenants.addMember(user, dto);
  }

  @Put('members/:userId/role')
  @Roles('owner', 'admin')
  @ApiOperation({ summary: "Change a member's role (owner or admin)" })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(400, 403, 404, 409)
  changeRole(@CurrentUser() user: AuthUser, @UuidParam('userId') userId: string, @Body() dto: ChangeRoleDto) {
    return this.tenants.changeRole(user, userId, dto.role);
  }

  @Delete('members/:userId')
  @Roles('owner', 'admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (owner or admin)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 403, 404, 409)
  async remove(@CurrentUser() user: AuthUser, @UuidParam('userId') userId: string): Promise<void> {
    await this.tenants.removeMember(user, userId);
  }
}
