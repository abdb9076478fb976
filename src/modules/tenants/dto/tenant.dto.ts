import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { Role, ROLES } from '../../../core/security/auth-user';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { TenantEntity } from '../entities/tenant.entity';
import { UserEntity } from '../../users';

export class TenantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Acme Integrations' }) name: string;
  @ApiProperty({
    description: 'Unique; names the tenant in `POST /api/auth/login` when one email has accounts in several',
    example: 'acme-integrations-1a2b3c',
  })
  slug: string;
  @ApiDateTimeProperty() createdAt: string;

  static from(t: TenantEntity): TenantDto {
    return { id: t.id, name: t.name, slug: t.slug, createdAt: t.createdAt.toISOString() };
  }
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({
    enum: ROLES,
    description:
      'owner: everything, including granting ownership; admin: manages members (except owners) and credentials; member: everything else (workflows, runs, reading credentials)',
  })
  role: Role;
  @ApiDateTimeProperty({ nullable: true, description: 'Last password sign-in; null until the first one' }) lastLoginAt: string | null;
  @ApiDateTimeProperty() createdAt: string;

  static from(u: UserEntity): MemberDto {
    return {
      id: u.id,
      email: u.email,
      role: u.role,
      lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
      createdAt: u.createdAt.toISOString(),
    };
  }
}

export class AddMemberDto {
  @ApiProperty({
    description: "The member's sign-in email (stored lower-case)",
    format: 'email',
    maxLength: 254,
    example: 'teammate@example.com',
  })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({
    description: 'Initial password the member signs in with',
    minLength: 8,
    maxLength: 128,
    example: 'teammate horse battery staple',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiProperty({ enum: ROLES, description: 'Only an owner may add an owner', example: 'member' })
  @IsIn(ROLES)
  role: Role;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES, description: "The member's new role; only an owner may grant or take away `owner`", example: 'admin' })
  @IsIn(ROLES)
  role: Role;
}
