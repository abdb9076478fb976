import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import { ApiDateTimeProperty, ApiJsonObjectProperty } from '../../../core/openapi/json-schemas';
import { KongDeploymentEntity, KongEntityRecord } from '../entities/kong-deployment.entity';
import { routePath, TEMPLATE_OPTION_SCHEMAS, USE_CASES, UseCase } from '../patterns';
import { OneTimeCredentials } from '../patterns/secrets';

const KONG_MODES = ['db', 'dbless'] as const;
const DEPLOYMENT_STATUSES = ['pending', 'active', 'failed'] as const;

export class ApplyKongTemplateDto {
  @ApiProperty({ format: 'uuid', description: 'The workflow to put behind Kong (one of your workflows)' })
  @IsUUID('all', { message: 'workflow_id must be a UUID' })
  workflow_id: string;

  @ApiProperty({ enum: USE_CASES, example: 'webhook_handler', description: 'The gateway pattern (see the operation description)' })
  @IsIn(USE_CASES, { message: `use_case must be one of: ${USE_CASES.join(', ')}` })
  use_case: UseCase;

  @ApiPropertyOptional({
    anyOf: USE_CASES.map((u) => ({ title: u, ...TEMPLATE_OPTION_SCHEMAS[u] })),
    description:
      "The use case's options (each schema below is one use case's; unknown options are refused, defaults are filled in). " +
      'webhook_handler: rate limits per period (default second: 100), counted by limit_by (default ip); header_name is required with ' +
      'limit_by header, ' +
      "path with limit_by path (the deployment's route /workflows/{workflow_id}/webhook or below it); policy cluster needs Kong with a " +
      'database, redis needs KONG_RATE_LIMIT_REDIS_HOST. ' +
      'smart_aggregator: steps names read-only steps (default: all of them). federated_security: scopes, mandatory_scope, ' +
      'token_expiration and redirect_uris apply only with auth oauth2 (Kong with a database). ' +
      'protocol_bridge: step names the soap step (default: the first one).',
    example: { second: 50 },
  })
  @IsOptional()
  @IsObject({ message: 'options must be an object' })
  options?: Record<string, unknown>;
}

export class KongRouteSummaryDto {
  @ApiProperty({
    description: 'Kong route name (flowgate-<kind>-<deployment id>)',
    example: 'flowgate-webhook-5f0c2a9e-8d3b-4c1a-9e7f-2b6d4a8c0e1f',
  })
  name: string;
  @ApiProperty({ type: [String], example: ['/workflows/0b7e9c3a-5d1f-4e2a-9c8b-1f2e3d4c5b6a/webhook'] }) paths: string[];
  @ApiProperty({ type: [String], example: ['POST'] }) methods: string[];
}

export class KongEntitiesDto {
  @ApiProperty({ type: [String], description: 'Kong service names' }) services: string[];
  @ApiProperty({ type: [KongRouteSummaryDto] }) routes: KongRouteSummaryDto[];
  @ApiProperty({ type: [String], example: ['rate-limiting'] }) plugins: string[];
  @ApiPropertyOptional({ description: "The tenant's Kong consumer (federated_security)" }) consumer?: string;
}

export class KongOneTimeCredentialsDto implements OneTimeCredentials {
  @ApiPropertyOptional({ description: 'key-auth: the API key. Shown only in the answer that created it; Flowgate cannot show it again.' })
  api_key?: string;
  @ApiPropertyOptional({ description: 'key-auth: the header (or query parameter) names Kong reads the key from', type: [String] })
  key_names?: string[];
  @ApiPropertyOptional({ description: 'oauth2: the client id' }) client_id?: string;
  @ApiPropertyOptional({ description: 'oauth2: the client secret, shown only once' }) client_secret?: string;
  @ApiPropertyOptional({ description: "oauth2: where to get a token (client credentials grant), relative to Kong's proxy" })
  token_path?: string;
}

export class KongDeploymentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) workflow_id: string;
  @ApiProperty({ enum: USE_CASES }) use_case: UseCase;
  @ApiJsonObjectProperty({
    description: 'The options in force, defaults filled in',
    example: { second: 50, policy: 'local', limit_by: 'ip', fault_tolerant: true, hide_client_headers: false },
  })
  options: Record<string, unknown>;
  @ApiProperty({ enum: KONG_MODES, description: 'How Flowgate wrote it to Kong (KONG_MODE at the time)' }) mode: 'db' | 'dbless';
  @ApiProperty({
    enum: DEPLOYMENT_STATUSES,
    description: 'pending while Kong is being written, active once it took everything, failed when Kong refused it (see last_error)',
  })
  status: 'pending' | 'active' | 'failed';
  @ApiProperty({ nullable: true, type: String, description: 'Why the last apply failed; null when it did not' }) last_error: string | null;
  @ApiProperty({
    description: "Path at Kong's proxy that reaches the workflow",
    example: '/workflows/0b7e9c3a-5d1f-4e2a-9c8b-1f2e3d4c5b6a/webhook',
  })
  path: string;
  @ApiProperty({ type: KongEntitiesDto, description: 'What it made in Kong' }) kong: KongEntitiesDto;
  @ApiDateTimeProperty() created_at: string;
  @ApiDateTimeProperty() updated_at: string;

  static from(d: KongDeploymentEntity): KongDeploymentDto {
    const e = d.kongEntities as Partial<KongEntityRecord>;
    return {
      id: d.id,
      workflow_id: d.workflowId,
      use_case: d.useCase,
      options: d.options,
      mode: d.mode,
      status: d.status,
      last_error: d.lastError,
      path: routePath(d.useCase, d.workflowId),
      kong: {
        services: (e.services ?? []).map((s) => s.name),
        routes: (e.routes ?? []).map((r) => ({ name: r.name, paths: r.paths, methods: r.methods })),
        plugins: [...new Set((e.plugins ?? []).map((p) => p.name))],
        ...(e.consumer ? { consumer: e.consumer.username } : {}),
      },
      created_at: d.createdAt.toISOString(),
      updated_at: d.updatedAt.toISOString(),
    };
  }
}

export class KongApplyResultDto extends KongDeploymentDto {
  @ApiProperty({ description: 'false when the same template was already applied (nothing new was made)' }) created: boolean;
  @ApiPropertyOptional({ type: KongOneTimeCredentialsDto, description: 'Present only when credentials were generated by this call' })
  credentials?: KongOneTimeCredentialsDto;
}

export class KongStatusDto {
  @ApiProperty({ enum: KONG_MODES, description: 'KONG_MODE' }) mode: 'db' | 'dbless';
  @ApiProperty({ description: 'Always true in a 200 (an unreachable Kong is a 503)' }) reachable: boolean;
  @ApiJsonObjectProperty({ description: "Kong's GET /status: database reachability, memory, connection counters" })
  status: Record<string, unknown>;
}
