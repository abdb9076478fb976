import { Module } from '@nestjs/common';
import { CONNECTOR_CLASSES } from '../connector-list';
import { ConnectorContextFactory } from './connector-context.factory';
import { ConnectorRegistry } from './connector.registry';

/**
 * The lower layer of connectors: what exists (registry) and how a call is set up (context).
 * Credentials build on it; the invoker (ConnectorsModule) builds on both.
 */
@Module({
  providers: [
    { provide: ConnectorRegistry, useFactory: () => new ConnectorRegistry(CONNECTOR_CLASSES.map((C) => new C())) },
    ConnectorContextFactory,
  ],
  exports: [ConnectorRegistry, ConnectorContextFactory],
})
export class ConnectorCatalogModule {}
