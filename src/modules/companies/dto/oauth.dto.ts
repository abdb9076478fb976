import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { CompanyDto } from './company.dto';

/** Nango integration keys and connection ids: letters, digits and a few separators. */
const NANGO_ID = /^[A-Za-z0-9._:@-]+$/;
const NANGO_ID_MESSAGE = 'may contain letters, digits, ".", "_", ":", "@" and "-" only';

export class OAuthUrlQueryDto {
  @ApiProperty({ description: 'Nango integration id (provider config key)', example: 'quickbooks' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(NANGO_ID, { message: `integration_id ${NANGO_ID_MESSAGE}` })
  integration_id: string;
}

export class OAuthUrlDto {
  @ApiProperty({ description: 'Nango Connect link to open for the customer' }) connectLink: string;
  @ApiProperty({ description: 'Connect session token for the Nango frontend SDK (lives 30 minutes)' }) sessionToken: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'Signed, expiring value to pass back to GET /api/auth/callback as `state`' }) state: string;
  @ApiProperty() integrationId: string;
}

export class OAuthCallbackQueryDto {
  @ApiProperty({ description: 'The `state` answered by GET /api/auth/oauth-url' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  state: string;
}

export class ExchangeDto {
  @ApiProperty({ example: 'company_123' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(NANGO_ID, { message: `connection_id ${NANGO_ID_MESSAGE}` })
  connection_id: string;

  @ApiProperty({ example: 'quickbooks' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(NANGO_ID, { message: `integration_id ${NANGO_ID_MESSAGE}` })
  integration_id: string;
}

export class ConnectedCompanyDto {
  @ApiProperty({ type: CompanyDto }) company: CompanyDto;
  @ApiProperty({ description: 'False when the company already existed and was updated' }) created: boolean;
}
