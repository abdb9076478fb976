import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ConnectorDescriptor } from '../connector.types';

export class ConnectorActionDto {
  @ApiProperty({ example: 'send_message' }) key: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "JSON schema of the step's params" }) input: Record<string, unknown>;
  @ApiProperty({ description: 'Free of side effects, safe to run twice' }) readOnly: boolean;
}

export class ConnectorDto {
  @ApiProperty({ example: 'slack' }) key: string;
  @ApiProperty({ example: 'Slack' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String], example: ['webhook_url'], description: 'Accepted credential kinds; "none" means it can run without one' })
  auth: string[];
  @ApiProperty({ type: [ConnectorActionDto] }) actions: ConnectorActionDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "The connector's own secrets schema, if any" })
  credentialSchema: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object' },
    description: 'For each storable kind, the schema of `secrets` in POST /api/credentials',
  })
  credentialSchemas: Record<string, Record<string, unknown>>;
  @ApiPropertyOptional({ example: 'OPENWEATHER_BASE_URL', description: 'Setting that overrides the base URL' }) baseUrlSetting?: string;
  @ApiPropertyOptional() docsUrl?: string;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['api.openweathermap.org'],
    description:
      "Hosts this connector's credentials may be sent to when they name none (plus the host of the base URL setting, and of a URL the credential holds, such as a webhook or Salesforce instance URL); null: the URL comes from the step, so each credential must name its hosts (allowedHosts)",
  })
  defaultHosts: string[] | null;

  static from(d: ConnectorDescriptor, credentialSchemas: Record<string, Record<string, unknown>>): ConnectorDto {
    return {
      key: d.key,
      name: d.name,
      description: d.description,
      auth: d.auth,
      actions: d.actions.map((a) => ({ key: a.key, name: a.name, description: a.description, input: a.input, readOnly: a.readOnly })),
      credentialSchema: d.credentialSchema ?? null,
      credentialSchemas,
      baseUrlSetting: d.baseUrlSetting,
      docsUrl: d.docsUrl,
      defaultHosts: d.hosts ? [...d.hosts] : null,
    };
  }
}
