import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials';
import { ConnectorCatalogModule } from './catalog/connector-catalog.module';
import { ConnectorInvoker } from './connector-invoker';
import { ConnectorsController } from './connectors.controller';

/**
 * Connectors as the rest of Flowgate uses them: GET /api/connectors and the ConnectorInvoker.
 * Re-exports the catalog (ConnectorRegistry) and CredentialsModule (CredentialsService.assertUsable),
 * so a feature that runs or validates steps imports just this module.
 */
@Module({
  imports: [ConnectorCatalogModule, CredentialsModule],
  controllers: [ConnectorsController],
  providers: [ConnectorInvoker],
  exports: [ConnectorInvoker, ConnectorCatalogModule, CredentialsModule],
})
export class ConnectorsModule {}
