/** The connectors module's public surface: other modules import from here, never from its files. */
export { ConnectorCatalogModule } from './catalog/connector-catalog.module';
export { ConnectorContextFactory } from './catalog/connector-context.factory';
export { ConnectorRegistry } from './catalog/connector.registry';
export { effectiveHosts, hostsProblem } from './catalog/credential-hosts';
export { ParamValidator } from './catalog/param-validator';
export { runWithDeadline } from './catalog/run-with-deadline';
export { ConnectorInvoker } from './connector-invoker';
export { ConnectorError } from './connector.types';
export type { AuthKind, JsonSchema, ResolvedCredential } from './connector.types';
export { ConnectorsModule } from './connectors.module';
