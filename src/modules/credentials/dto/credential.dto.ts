import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MAX_ALLOWED_HOSTS } from '../../../core/http/host-patterns';
import { CredentialEntity } from '../entities/credential.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** PostgreSQL text cannot hold NUL, and control characters in a display name are never intended. */
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;
const noControlChars = { message: '$property must not contain control characters' };
const CONNECTOR_KEY = /^[a-z][a-z0-9_-]{0,63}$/;

/** `allowedHosts` on create and update: documented once, validated the same way (the service checks each entry). */
function AllowedHostsProperty(nullMeans = '') {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      nullable: true,
      maxItems: MAX_ALLOWED_HOSTS,
      example: ['api.example.com', '*.example.com:8443'],
      description:
        "Hosts this credential may be sent to: a host name or IP address (`[::1]` for IPv6), `*.` for any subdomain, `:port` for one port only. Required for generic connectors (http, soap); for provider connectors, omitted or null means the provider's hosts. A call to any other host fails before anything is sent. Owners and admins only" +
        nullMeans +
        '.',
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_ALLOWED_HOSTS),
  );
}

export class CreateCredentialDto {
  @ApiProperty({ example: 'Team Slack', maxLength: 120, description: 'Unique per tenant (case-insensitive)' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(NO_CONTROL_CHARS, noControlChars)
  name: string;

  @ApiProperty({ example: 'slack', description: 'Key of the connector this credential is for (GET /api/connectors)' })
  @IsString()
  @Matches(CONNECTOR_KEY, { message: 'connectorKey must be a connector key such as "slack"' })
  connectorKey: string;

  @ApiProperty({ example: 'webhook_url', description: "One of the connector's auth kinds (except none)" })
  @IsString()
  @MaxLength(32)
  @Matches(NO_CONTROL_CHARS, noControlChars)
  authKind: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' },
    description: "Secret fields, per the connector's credentialSchema for this kind. Encrypted at rest, never returned.",
  })
  @IsObject()
  secrets: Record<string, string>;

  @AllowedHostsProperty()
  allowedHosts?: string[] | null;
}

export class UpdateCredentialDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(NO_CONTROL_CHARS, noControlChars)
  name?: string;

  @ApiPropertyOptional({ description: 'A new auth kind; requires new secrets' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  authKind?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Replaces all secret fields' })
  @IsOptional()
  @IsObject()
  secrets?: Record<string, string>;

  @AllowedHostsProperty('; null goes back to the provider\'s hosts')
  allowedHosts?: string[] | null;
}

export class ListCredentialsQueryDto {
  @ApiPropertyOptional({ description: 'Only credentials for this connector' })
  @IsOptional()
  @IsString()
  @Matches(CONNECTOR_KEY, { message: 'connectorKey must be a connector key such as "slack"' })
  connectorKey?: string;
}

export class CredentialDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'slack' }) connectorKey: string;
  @ApiProperty({ example: 'webhook_url' }) authKind: string;
  @ApiProperty({ example: 'hooks.slack.com/…', description: 'Masked summary; the secrets are never returned' }) hint: string;
  @ApiProperty({ example: '3f9a1c2b', description: 'Id of the encryption key that sealed the secrets' }) keyId: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) lastTestedAt: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) lastTestOk: boolean | null;
  @ApiProperty({ nullable: true, type: String }) lastTestDetail: string | null;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['api.example.com'],
    description: "Hosts this credential may be sent to; null: the connector's own hosts (provider connectors only)",
  })
  allowedHosts: string[] | null;
  @ApiProperty({ description: 'False until an owner or admin names the hosts this credential may be sent to (see unusableReason)' }) usable: boolean;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Why steps using this credential fail (code CREDENTIAL_HOSTS_REQUIRED)' })
  unusableReason: string | null;

  static from(c: CredentialEntity, unusableReason: string | null): CredentialDto {
    return {
      id: c.id,
      name: c.name,
      connectorKey: c.connectorKey,
      authKind: c.authKind,
      hint: c.hint,
      keyId: c.keyId,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      lastTestedAt: c.lastTestedAt ? c.lastTestedAt.toISOString() : null,
      lastTestOk: c.lastTestOk,
      lastTestDetail: c.lastTestDetail,
      allowedHosts: c.allowedHosts,
      usable: unusableReason === null,
      unusableReason,
    };
  }
}

export class CredentialTestResultDto {
  @ApiProperty({ description: 'Whether the provider accepted the credential' }) ok: boolean;
  @ApiProperty({ example: 'Webhook URL is live' }) detail: string;
}

export class ReencryptResultDto {
  @ApiProperty({ description: 'Credentials found sealed with an old key' }) scanned: number;
  @ApiProperty({ description: 'Re-sealed with the current key' }) reencrypted: number;
  @ApiProperty({ description: 'Could not be re-sealed (their key is not configured, or the data is damaged)' }) failed: number;
  @ApiProperty({ example: '3f9a1c2b' }) currentKeyId: string;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, reason: { type: 'string' } } }, description: 'Up to 100 failures' })
  failures: Array<{ id: string; reason: string }>;
}
