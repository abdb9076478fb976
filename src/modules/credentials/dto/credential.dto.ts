import { BooleanQuery } from '../../../core/errors/query-params';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ApiDateTimeProperty } from '../../../core/openapi/json-schemas';
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
      items: { type: 'string', maxLength: 260 },
      example: ['api.example.com'],
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
  @ApiProperty({ example: 'Example API token', minLength: 1, maxLength: 120, description: 'Unique per tenant (case-insensitive)' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(NO_CONTROL_CHARS, noControlChars)
  name: string;

  @ApiProperty({
    example: 'http',
    pattern: '^[a-z][a-z0-9_-]{0,63}$',
    description: 'Key of the connector this credential is for (GET /api/connectors)',
  })
  @IsString()
  @Matches(CONNECTOR_KEY, { message: 'connectorKey must be a connector key such as "slack"' })
  connectorKey: string;

  @ApiProperty({
    example: 'bearer',
    maxLength: 32,
    description: "One of the connector's auth kinds (except none): see `auth` and `credentialSchemas` in GET /api/connectors/{key}",
  })
  @IsString()
  @MaxLength(32)
  @Matches(NO_CONTROL_CHARS, noControlChars)
  authKind: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { token: 'replace-with-your-api-token' },
    description:
      "Secret fields (strings), per the connector's `credentialSchemas[authKind]` (bearer: `token`; basic: `username`, `password`; header: `headerName`, `headerValue`; webhook_url: `webhookUrl`). Encrypted at rest, never returned.",
  })
  @IsObject()
  secrets: Record<string, string>;

  @AllowedHostsProperty()
  allowedHosts?: string[] | null;
}

export class UpdateCredentialDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 120,
    example: 'Example API token (rotated)',
    description: 'A new name, unique per tenant',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(NO_CONTROL_CHARS, noControlChars)
  name?: string;

  @ApiPropertyOptional({
    maxLength: 32,
    example: 'bearer',
    description: 'A new auth kind (one the connector accepts); requires new secrets',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  authKind?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { token: 'replace-with-the-new-token' },
    description: 'Replaces all secret fields (same shape as on create, for the new or current auth kind); clears the last test result',
  })
  @IsOptional()
  @IsObject()
  secrets?: Record<string, string>;

  @AllowedHostsProperty("; null goes back to the provider's hosts")
  allowedHosts?: string[] | null;
}

export class ListCredentialsQueryDto {
  @ApiPropertyOptional({ pattern: '^[a-z][a-z0-9_-]{0,63}$', example: 'http', description: 'Only credentials for this connector' })
  @IsOptional()
  @IsString()
  @Matches(CONNECTOR_KEY, { message: 'connectorKey must be a connector key such as "slack"' })
  connectorKey?: string;
}

/** `?force=true|false`. */
export class DeleteCredentialQueryDto {
  @BooleanQuery({
    default: false,
    description: 'Delete even when workflow steps use it (those runs then fail at that step with CREDENTIAL_NOT_FOUND)',
  })
  force?: boolean;
}

export class CredentialDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Example API token' }) name: string;
  @ApiProperty({ example: 'http' }) connectorKey: string;
  @ApiProperty({ example: 'bearer' }) authKind: string;
  @ApiProperty({ example: '…oken', description: 'Masked summary; the secrets are never returned' }) hint: string;
  @ApiProperty({ example: '3f9a1c2b', description: 'Id of the encryption key that sealed the secrets' }) keyId: string;
  @ApiDateTimeProperty() createdAt: string;
  @ApiDateTimeProperty() updatedAt: string;
  @ApiDateTimeProperty({
    nullable: true,
    description: 'When POST /api/credentials/{id}/test last checked it (reset when the secrets change)',
  })
  lastTestedAt: string | null;
  @ApiProperty({ nullable: true, type: Boolean, description: 'Whether the provider accepted it at the last test' }) lastTestOk:
    boolean | null;
  @ApiProperty({ nullable: true, type: String, description: "The provider's answer at the last test" }) lastTestDetail: string | null;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['api.example.com'],
    description: "Hosts this credential may be sent to; null: the connector's own hosts (provider connectors only)",
  })
  allowedHosts: string[] | null;
  @ApiProperty({ description: 'False until an owner or admin names the hosts this credential may be sent to (see unusableReason)' })
  usable: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Why steps using this credential fail (code CREDENTIAL_HOSTS_REQUIRED)',
  })
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
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Credentials found sealed with an old key' }) scanned: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Re-sealed with the current key' }) reencrypted: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Could not be re-sealed (their key is not configured, or the data is damaged)' })
  failed: number;
  @ApiProperty({ example: '3f9a1c2b' }) currentKeyId: string;
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: { id: { type: 'string', format: 'uuid' }, reason: { type: 'string' } },
      required: ['id', 'reason'],
    },
    description: 'Up to 100 failures',
  })
  failures: Array<{ id: string; reason: string }>;
}
