import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
import { CompanyDto } from './company.dto';

/** Nango integration keys and connection ids: letters, digits and a few separators. */
const NANGO_ID = /^[A-Za-z0-9._:@-]+$/;
const NANGO_ID_PATTERN = '^[A-Za-z0-9._:@-]+$';
const NANGO_ID_MESSAGE = 'may contain letters, digits, ".", "_", ":", "@" and "-" only';

const INTEGRATION_ID_DOC = {
  description: 'Nango integration id (provider config key), as set up in your Nango environment',
  example: 'quickbooks',
  minLength: 1,
  maxLength: 255,
  pattern: NANGO_ID_PATTERN,
};

export class OAuthUrlQueryDto {
  @ApiProperty(INTEGRATION_ID_DOC)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(NANGO_ID, { message: `integration_id ${NANGO_ID_MESSAGE}` })
  integration_id: string;
}

export class OAuthUrlDto {
  @ApiProperty({
    format: 'uri',
    description: 'Nango Connect link to open for the customer',
    example: 'https://connect.nango.dev/?session_token=nango_connect_session_0123',
  })
  connectLink: string;
  @ApiProperty({ description: 'Connect session token for the Nango frontend SDK (lives 30 minutes)' }) sessionToken: string;
  @ApiDateTimeProperty({ description: 'When the connect session and `state` expire' }) expiresAt: string;
  @ApiProperty({ description: 'Signed, expiring value to pass back to GET /api/auth/callback as `state`' }) state: string;
  @ApiProperty({ description: 'The integration the session is for', example: 'quickbooks' }) integrationId: string;
}

export class OAuthCallbackQueryDto {
  @ApiProperty({ description: 'The `state` answered by GET /api/auth/oauth-url, unchanged', minLength: 1, maxLength: 4096 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  state: string;
}

export class ExchangeDto {
  // No example: a connection id exists only once Nango made the connection (dashboard, API or auth webhook).
  @ApiProperty({
    description: "Id of an existing Nango connection of this integration (see the Nango dashboard); it must carry no other tenant's tags",
    minLength: 1,
    maxLength: 255,
    pattern: NANGO_ID_PATTERN,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(NANGO_ID, { message: `connection_id ${NANGO_ID_MESSAGE}` })
  connection_id: string;

  @ApiProperty(INTEGRATION_ID_DOC)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(NANGO_ID, { message: `integration_id ${NANGO_ID_MESSAGE}` })
  integration_id: string;
}

export class ConnectedCompanyDto {
  @ApiProperty({ type: CompanyDto, description: 'The company, created or updated from the connection' }) company: CompanyDto;
  @ApiProperty({ description: 'False when the company already existed and was updated' }) created: boolean;
}
