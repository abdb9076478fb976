import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MemberDto, TenantDto } from '../../tenants/dto/tenant.dto';

const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiProperty({ example: 'Acme Integrations', maxLength: 120 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  tenantName: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({
    description: 'Tenant slug. Only needed when the email and password open accounts in several tenants (409 TENANT_REQUIRED lists them).',
    example: 'acme-integrations-1a2b3c',
    maxLength: 140,
  })
  @IsOptional()
  @IsString()
  @MaxLength(140)
  tenant?: string;
}

export class AuthResponseDto {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer <token>`' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: MemberDto }) user: MemberDto;
  @ApiProperty({ type: TenantDto }) tenant: TenantDto;
}

export class MeResponseDto {
  @ApiProperty({ type: MemberDto }) user: MemberDto;
  @ApiProperty({ type: TenantDto }) tenant: TenantDto;
}
