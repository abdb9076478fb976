import { Body, Controller, Delete, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { ErrorResponseDto } from '../../core/errors/error-response.dto';
import { UuidParam } from '../../core/errors/uuid-param.pipe';
import { AuthUser } from '../../core/security/auth-user';
import { CurrentUser, Public, Roles } from '../../core/security/decorators';
import { AuthRateLimitGuard } from '../auth';
import {
  AcceptedInvitationDto,
  AcceptInvitationDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationDto,
  InvitationLookupDto,
  InvitationTokenDto,
} from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';
import { OptionalJwtGuard } from './optional-jwt.guard';

const GONE = ApiResponse({
  status: 410,
  description: 'The link no longer works: INVITATION_USED (accepted once already), INVITATION_REVOKED or INVITATION_EXPIRED',
  type: ErrorResponseDto,
});
const EXAMPLE_TOKEN = 'q3V9f1oG2kq8yqv7m0XJtW3Yb6sPZ1dE4uR5cT8nL0A';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/tenants/current/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @Roles('owner', 'admin')
  // Budgeted like adding a member (per client address and per email): each may send an email.
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({
    summary: 'Invite someone by email (owner or admin)',
    description:
      'Answers an invitation link with a single-use token (shown only here; only its SHA-256 is stored) that works for INVITATION_TTL_HOURS. With SMTP settings the link is also emailed to the invitee (`delivery`). A pending invitation for the same email is revoked and replaced. 409 MEMBER_EXISTS when the email is already a member of this tenant; an account with the same email in another tenant is never looked at. 403 when the caller is a member, or an admin inviting an owner (OWNER_REQUIRED). Rate limited like login (429 + Retry-After).',
  })
  @ApiCreatedResponse({ type: CreatedInvitationDto, description: 'The invitation, its link and token, and whether an email went out' })
  @ApiErrors(403, 409, 429)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateInvitationDto, @Req() req: FastifyRequest): Promise<CreatedInvitationDto> {
    return this.invitations.create(user, dto, `${req.protocol}://${req.host}`);
  }

  @Get()
  @Roles('owner', 'admin')
  @ApiOperation({
    summary: "The tenant's invitations (owner or admin)",
    description: 'Every invitation, newest first, with its status (pending, accepted, revoked, expired). Never the token or its hash.',
  })
  @ApiOkResponse({ type: [InvitationDto], description: 'The invitations' })
  @ApiErrors(403)
  list(@CurrentUser() user: AuthUser): Promise<InvitationDto[]> {
    return this.invitations.list(user);
  }

  @Delete(':invitationId')
  @Roles('owner', 'admin')
  @HttpCode(204)
  @ApiParam({ name: 'invitationId', format: 'uuid', description: "The invitation's `id`" })
  @ApiOperation({
    summary: 'Revoke an invitation (owner or admin)',
    description:
      "Its link stops working at once (410 INVITATION_REVOKED). Revoking a revoked invitation changes nothing; an accepted one is 409 INVITATION_ACCEPTED (remove the member instead). 404 for an unknown id or another tenant's.",
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(403, 404, 409)
  async revoke(@CurrentUser() user: AuthUser, @UuidParam('invitationId') id: string): Promise<void> {
    await this.invitations.revoke(user, id);
  }
}

@ApiTags('auth')
@Controller('api/invitations')
export class InvitationAcceptController {
  constructor(private readonly invitations: InvitationsService) {}

  // The token travels in the body, never in a URL (URLs end up in logs and Referer headers).
  @Post('lookup')
  @Public()
  @SkipThrottle()
  @UseGuards(AuthRateLimitGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'What an invitation link invites to',
    description:
      'For the invitee, before accepting: the inviting tenant, the invited email and role, and when the link expires. 404 INVITATION_NOT_FOUND for an unknown token; 410 when it was used, revoked or expired. Rate limited per client address (429 + Retry-After).',
  })
  @ApiBody({ type: InvitationTokenDto, examples: { lookup: { summary: 'The token from the link', value: { token: EXAMPLE_TOKEN } } } })
  @ApiOkResponse({ type: InvitationLookupDto, description: 'The invitation' })
  @ApiErrors(404, 429)
  @GONE
  lookup(@Body() dto: InvitationTokenDto): Promise<InvitationLookupDto> {
    return this.invitations.lookup(dto.token);
  }

  @Post('accept')
  @Public()
  @SkipThrottle()
  @UseGuards(AuthRateLimitGuard, OptionalJwtGuard)
  @HttpCode(200)
  @ApiSecurity({})
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Accept an invitation',
    description:
      "Creates your account in the inviting tenant with the invited role and signs you in to it (like login). Without a bearer token send `password`: when the invited email has a Flowgate account, the password of that account (the new membership signs in with the same password); when it has none, the password to register with. With `Authorization: Bearer` of an account whose email is the invited one, `token` alone is enough. 401 INVALID_CREDENTIALS when the email has an account and the password opens none; 403 INVITATION_EMAIL_MISMATCH when the bearer's account has another email; 409 MEMBER_EXISTS when the email is already a member there. Single use: 410 INVITATION_USED afterwards (also for the loser of two accepts at once), 410 INVITATION_REVOKED, 410 INVITATION_EXPIRED; 404 INVITATION_NOT_FOUND for an unknown token. Rate limited per client address (429 + Retry-After).",
  })
  @ApiBody({
    type: AcceptInvitationDto,
    examples: {
      withPassword: {
        summary: 'Register, or sign in with your existing password',
        value: { token: EXAMPLE_TOKEN, password: 'teammate horse battery staple' },
      },
      signedIn: { summary: 'Signed in already (send Authorization: Bearer)', value: { token: EXAMPLE_TOKEN } },
    },
  })
  @ApiOkResponse({
    type: AcceptedInvitationDto,
    description: 'Accepted and signed in: the token, the new membership and the inviting tenant',
  })
  @ApiErrors(401, 403, 404, 409, 429)
  @GONE
  accept(@Body() dto: AcceptInvitationDto, @CurrentUser() user: AuthUser | undefined): Promise<AcceptedInvitationDto> {
    return this.invitations.accept(dto, user);
  }
}
