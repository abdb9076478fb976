import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiJsonObjectProperty, ApiJsonValueProperty } from '../../../core/openapi/json-schemas';
import type { ConnectorDescriptor } from '../contract';

/** A JSON Schema object (connector params, credential secrets): documented as an object with any keys. */
const JSON_SCHEMA_OBJECT = { type: 'object', additionalProperties: true } as const;

export class ConnectorActionDto {
  @ApiProperty({ example: 'request', description: 'The `action` of a connector step' }) key: string;
  @ApiProperty({ example: 'Send request' }) name: string;
  @ApiProperty({ description: 'What it does and what its output holds' }) description: string;
  @ApiJsonObjectProperty({ description: "JSON Schema (2020-12) of the step's `params`" }) input: Record<string, unknown>;
  @ApiProperty({ description: 'Free of side effects, safe to run twice' }) readOnly: boolean;
  @ApiProperty({
    description:
      'Whether a run changes something outside Flowgate (posts, creates, updates). A dry run with `sideEffects: false` plans such a step instead of running it; true with `sideEffectsRule`: it depends on the params',
  })
  sideEffects: boolean;
  @ApiPropertyOptional({
    example: 'Depends on `method`: GET and HEAD have none, every other method may',
    description: 'When the params decide per call whether there are side effects: how',
  })
  sideEffectsRule?: string;
  @ApiJsonValueProperty({
    required: false,
    description: "An example of the action's output: what a planned step answers in a dry run (declared by every action with side effects)",
  })
  sampleOutput?: unknown;
}

export class ConnectorDto {
  @ApiProperty({ example: 'http', description: 'The `connector` of a step and the `connectorKey` of a credential' }) key: string;
  @ApiProperty({ example: 'HTTP' }) name: string;
  @ApiProperty({ description: 'What it connects to' }) description: string;
  @ApiProperty({
    type: [String],
    example: ['none', 'bearer', 'basic', 'header', 'nango'],
    description: 'Accepted credential kinds; "none" means it can run without one',
  })
  auth: string[];
  @ApiProperty({ type: [ConnectorActionDto], description: 'Actions a step can call' }) actions: ConnectorActionDto[];
  @ApiJsonObjectProperty({
    nullable: true,
    description: "The connector's own secrets schema (JSON Schema), if any; null: each kind's default",
  })
  credentialSchema: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: JSON_SCHEMA_OBJECT,
    example: {
      bearer: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: { type: 'string', minLength: 1 } } },
    },
    description: 'For each storable kind, the JSON Schema of `secrets` in POST /api/credentials',
  })
  credentialSchemas: Record<string, Record<string, unknown>>;
  @ApiPropertyOptional({ example: 'OPENWEATHER_BASE_URL', description: 'Setting that overrides the base URL' }) baseUrlSetting?: string;
  @ApiPropertyOptional({ format: 'uri', description: "The provider's API documentation" }) docsUrl?: string;
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
      actions: d.actions.map((a) => ({
        key: a.key,
        name: a.name,
        description: a.description,
        input: a.input,
        readOnly: a.readOnly,
        sideEffects: a.sideEffects,
        ...(a.sideEffectsRule ? { sideEffectsRule: a.sideEffectsRule } : {}),
        ...(a.sampleOutput !== undefined ? { sampleOutput: a.sampleOutput } : {}),
      })),
      credentialSchema: d.credentialSchema ?? null,
      credentialSchemas,
      baseUrlSetting: d.baseUrlSetting,
      docsUrl: d.docsUrl,
      defaultHosts: d.hosts ? [...d.hosts] : null,
    };
  }
}
