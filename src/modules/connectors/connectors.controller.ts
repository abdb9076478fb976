import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AppException } from '../../core/errors/app-exception';
import { CredentialSchemas } from '../credentials';
import { ConnectorRegistry } from './catalog/connector.registry';
import { Connector } from './contract';
import { ConnectorDto } from './dto/connector.dto';

@ApiTags('connectors')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/connectors')
export class ConnectorsController {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly schemas: CredentialSchemas,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every connector: auth kinds, actions with their params schema, credential schema',
    description:
      'The catalog a workflow editor needs: for each connector, the actions a step can call (with the JSON Schema of their params) and the credential kinds and secret fields it accepts.',
  })
  @ApiOkResponse({ type: [ConnectorDto], description: 'Every connector, in catalog order' })
  list(): ConnectorDto[] {
    return this.registry.list().map((c) => this.toDto(c));
  }

  @Get(':key')
  @ApiParam({ name: 'key', example: 'http', description: 'Connector key (`key` in GET /api/connectors)' })
  @ApiOperation({ summary: 'One connector', description: 'One connector of the catalog by key. 404 for an unknown key.' })
  @ApiOkResponse({ type: ConnectorDto, description: 'The connector' })
  @ApiErrors(404)
  get(@Param('key') key: string): ConnectorDto {
    const connector = this.registry.get(key);
    if (!connector) throw AppException.notFound(`Connector "${key.slice(0, 64)}"`);
    return this.toDto(connector);
  }

  private toDto(c: Connector): ConnectorDto {
    const schemas: Record<string, Record<string, unknown>> = {};
    for (const kind of this.schemas.storableKinds(c.descriptor.key)) schemas[kind] = this.schemas.schemaFor(c.descriptor.key, kind)!;
    return ConnectorDto.from(c.descriptor, schemas);
  }
}
