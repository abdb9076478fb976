import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { Role, ROLES } from '../../../core/security/auth-user';
import { TenantEntity } from '../entities/tenant.entity';
import { UserEntity } from '../../users/entities/user.entity';

export class TenantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty() createdAt: string;

  static from(t: TenantEntity): TenantDto {
    return { id: t.id, name: t.name, slug: t.slug, createdAt: t.createdAt.toISOString() };
  }
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) lastLoginAt: string | null;
  @ApiProperty() createdAt: string;

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
  @ApiProperty({ example: 'teammate@example.com' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: 'Initial password the member signs in with', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiProperty({ enum: ROLES, example: 'member' })
  @IsIn(ROLES)
  role: Role;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}
