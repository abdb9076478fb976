import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { OptionalNotNull } from '../../../core/errors/optional-not-null';
import { MemberDto, TenantDto } from '../../tenants';

const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** The example account: `POST /api/auth/register` with it, then `login` with the same email and password. */
export const EXAMPLE_EMAIL = 'ada@example.com';
export const EXAMPLE_PASSWORD = 'correct horse battery staple';

export class RegisterDto {
  @ApiProperty({
    description: 'Your email; you sign in with it (stored lower-case)',
    format: 'email',
    maxLength: 254,
    example: EXAMPLE_EMAIL,
  })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: 'At least 8 characters', minLength: 8, maxLength: 128, example: EXAMPLE_PASSWORD })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiProperty({
    description: 'Name of the tenant (organisation) created with the account; its slug is derived from it',
    minLength: 1,
    maxLength: 120,
    example: 'Acme Integrations',
  })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  tenantName: string;
}

export class LoginDto {
  @ApiProperty({ description: 'The email you registered or were added with', format: 'email', maxLength: 254, example: EXAMPLE_EMAIL })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 1, maxLength: 128, example: EXAMPLE_PASSWORD })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  // No example: an invented slug would make the example sign-in fail (401); 409 TENANT_REQUIRED names the real ones.
  @ApiPropertyOptional({
    description:
      'Tenant slug. Only needed when the email and password open accounts in several tenants (409 TENANT_REQUIRED lists them in `details`).',
    minLength: 1,
    maxLength: 140,
  })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(140)
  tenant?: string;
}

export class AuthResponseDto {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer <token>`' }) accessToken: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds until the token expires', example: 3600 }) expiresIn: number;
  @ApiProperty({ type: MemberDto, description: 'The signed-in account' }) user: MemberDto;
  @ApiProperty({ type: TenantDto, description: 'The tenant the token acts in' }) tenant: TenantDto;
}

export class MeResponseDto {
  @ApiProperty({ type: MemberDto, description: 'The signed-in account' }) user: MemberDto;
  @ApiProperty({ type: TenantDto, description: 'The tenant the token acts in' }) tenant: TenantDto;
}

/** What the sign-in page may offer, read before anyone signs in. */
export class AuthOptionsDto {
  @ApiProperty({
    description:
      'True when DEV_MODE is on (never in production): `POST /api/auth/dev-login` signs in without a password, so the console shows its "Skip Login – Dev Mode" button',
    example: false,
  })
  devMode: boolean;

  @ApiProperty({ description: 'True when `POST /api/auth/register` accepts new tenants (always, in this version)', example: true })
  registration: boolean;
}
