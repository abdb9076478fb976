import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { OptionalNotNull } from '../../../core/errors/optional-not-null';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { Role, ROLES } from '../../../core/security/auth-user';
import { MemberDto, TenantDto } from '../../tenants';
import { INVITATION_STATUSES, InvitationEntity, InvitationStatus, statusOf } from '../entities/invitation.entity';
import { TOKEN_PATTERN } from '../invitation-token';

const EXAMPLE_TOKEN = 'q3V9f1oG2kq8yqv7m0XJtW3Yb6sPZ1dE4uR5cT8nL0A';

export class CreateInvitationDto {
  @ApiProperty({
    description: "The invitee's email (stored lower-case); they sign in with it once they accept",
    format: 'email',
    maxLength: 254,
    example: 'teammate@example.com',
  })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ROLES, description: 'The role the invitee gets; only an owner may invite an owner', example: 'member' })
  @IsIn(ROLES)
  role: Role;
}

export const DELIVERIES = ['not_configured', 'sent', 'failed'] as const;
export type Delivery = (typeof DELIVERIES)[number];

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'teammate@example.com' }) email: string;
  @ApiProperty({ enum: ROLES, example: 'member' }) role: Role;
  @ApiProperty({
    enum: INVITATION_STATUSES,
    description:
      'pending: the link works; accepted: used (once); revoked: withdrawn or replaced by a newer invitation; expired: not used in time',
    example: 'pending',
  })
  status: InvitationStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: 'string', description: 'The member who invited; null when unknown' })
  invitedBy: string | null;
  @ApiDateTimeProperty() createdAt: string;
  @ApiDateTimeProperty({ description: 'The link stops working at this moment (INVITATION_TTL_HOURS after it was made)' }) expiresAt: string;
  @ApiDateTimeProperty({ nullable: true }) acceptedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: 'string', description: 'The account the invitation created' })
  acceptedUserId: string | null;
  @ApiDateTimeProperty({ nullable: true }) revokedAt: string | null;

  static from(i: InvitationEntity, now = new Date()): InvitationDto {
    return {
      id: i.id,
      email: i.email,
      role: i.role,
      status: statusOf(i, now),
      invitedBy: i.invitedBy,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
      acceptedAt: i.acceptedAt ? i.acceptedAt.toISOString() : null,
      acceptedUserId: i.acceptedUserId,
      revokedAt: i.revokedAt ? i.revokedAt.toISOString() : null,
    };
  }
}

export class CreatedInvitationDto extends InvitationDto {
  @ApiProperty({
    description:
      'The link to send the invitee: `<PUBLIC_URL>/invitations/accept#token=…`. The token is in the fragment, which browsers never send to a server nor put in Referer. Shown only in this answer.',
    example: `https://flowgate.example.com/invitations/accept#token=${EXAMPLE_TOKEN}`,
  })
  inviteUrl: string;
  @ApiProperty({
    description: 'The single-use token (also in `inviteUrl`); only its SHA-256 is stored, so it is shown only here',
    example: EXAMPLE_TOKEN,
  })
  token: string;
  @ApiProperty({
    enum: DELIVERIES,
    description:
      'not_configured: no SMTP settings, pass `inviteUrl` on yourself; sent: the SMTP server took the email; failed: it refused or did not answer in time (the invitation stands: pass the link on, or invite again)',
    example: 'not_configured',
  })
  delivery: Delivery;
}

export class InvitationTokenDto {
  @ApiProperty({
    description: 'The token from the invitation link (after `#token=`)',
    example: EXAMPLE_TOKEN,
    minLength: 43,
    maxLength: 43,
    pattern: TOKEN_PATTERN.source,
  })
  @IsString()
  @Matches(TOKEN_PATTERN, { message: 'token must be the 43-character token from the invitation link' })
  token: string;
}

export class AcceptInvitationDto extends InvitationTokenDto {
  @ApiPropertyOptional({
    description:
      'Without a bearer token: the password of your existing Flowgate account with the invited email (you sign in; the new membership uses that same password), or, when the email has no account yet, the password to register with (8 to 128 characters). Not needed when you send `Authorization: Bearer` of an account with the invited email.',
    minLength: 8,
    maxLength: 128,
    example: 'teammate horse battery staple',
  })
  @OptionalNotNull()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password?: string;
}

/** The inviting tenant as the invitee sees it before accepting: its name and slug. */
export class InvitingTenantDto {
  @ApiProperty({ example: 'Acme Integrations' }) name: string;
  @ApiProperty({ example: 'acme-integrations-1a2b3c' }) slug: string;
}

export class InvitationLookupDto {
  @ApiProperty({ type: InvitingTenantDto, description: 'The inviting tenant' }) tenant: InvitingTenantDto;
  @ApiProperty({ example: 'teammate@example.com' }) email: string;
  @ApiProperty({ enum: ROLES, example: 'member' }) role: Role;
  @ApiDateTimeProperty() expiresAt: string;
}

export class AcceptedInvitationDto {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer <token>`, acting in the inviting tenant' }) accessToken: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds until the token expires', example: 3600 }) expiresIn: number;
  @ApiProperty({ type: MemberDto, description: 'The new membership (account) in the inviting tenant' }) user: MemberDto;
  @ApiProperty({ type: TenantDto, description: 'The inviting tenant' }) tenant: TenantDto;
}
