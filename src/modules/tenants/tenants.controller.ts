import { Body, Controller, Delete, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { AuthRateLimitGuard } from '../auth';
import { CurrentUser, Roles } from '../../core/security/decorators';
import { AddMemberDto, ChangeRoleDto, MemberDto, TenantDto } from './dto/tenant.dto';
import { TenantsService } from './tenants.service';

const USER_ID = ApiParam({ name: 'userId', format: 'uuid', description: "The member's `id` (from `GET /api/tenants/current/members`)" });

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/tenants/current')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's tenant", description: 'The tenant the bearer token acts in: its id, name and slug.' })
  @ApiOkResponse({ type: TenantDto, description: 'The tenant' })
  current(@CurrentUser() user: AuthUser) {
    return this.tenants.current(user);
  }

  @Get('members')
  @ApiOperation({
    summary: 'Members of the tenant',
    description: "Every account of the caller's tenant with its role and last sign-in; any role may read it.",
  })
  @ApiOkResponse({ type: [MemberDto], description: 'The members, oldest first' })
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
      'Creates an account in this tenant. An email is unique per tenant: an account with the same email in another tenant is a separate account and is never revealed. 409 MEMBER_EXISTS only when the email is already a member here; 403 when the caller is a member, or an admin adding an owner. Rate limited like login (429 + Retry-After).',
  })
  @ApiCreatedResponse({ type: MemberDto, description: 'The new member' })
  @ApiErrors(403, 409, 429)
  add(@CurrentUser() user: AuthUser, @Body() dto: AddMemberDto) {
    return this.tenants.addMember(user, dto);
  }

  @Put('members/:userId/role')
  @Roles('owner', 'admin')
  @USER_ID
  @ApiOperation({
    summary: "Change a member's role (owner or admin)",
    description:
      "Only an owner changes an owner or grants `owner` (403 OWNER_REQUIRED otherwise). The last owner cannot be demoted (409 LAST_OWNER). The new role applies to the member's next request.",
  })
  @ApiOkResponse({ type: MemberDto, description: 'The member with the new role' })
  @ApiErrors(403, 409)
  changeRole(@CurrentUser() user: AuthUser, @UuidParam('userId') userId: string, @Body() dto: ChangeRoleDto) {
    return this.tenants.changeRole(user, userId, dto.role);
  }

  @Delete('members/:userId')
  @Roles('owner', 'admin')
  @HttpCode(204)
  @USER_ID
  @ApiOperation({
    summary: 'Remove a member (owner or admin)',
    description:
      "Deletes the member's account; its tokens stop working at once. Only an owner removes an owner (403 OWNER_REQUIRED), and the last owner stays (409 LAST_OWNER).",
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(403, 409)
  async remove(@CurrentUser() user: AuthUser, @UuidParam('userId') userId: string): Promise<void> {
    await this.tenants.removeMember(user, userId);
  }
}
