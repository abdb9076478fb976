/**
 * The connector catalog's public surface: which connectors exist (registry), how a call is set
 * up (context), params checks and the step deadline. It builds on the contract only, so
 * credentials can use it while the invoker (the connectors module's index.ts) uses credentials.
 */
export { ConnectorCatalogModule } from './connector-catalog.module';
export { ConnectorContextFactory } from './connector-context.factory';
export { ConnectorRegistry } from './connector.registry';
export { effectiveHosts, hostsProblem } from './credential-hosts';
export { ParamValidator } from './param-validator';
export type { PlannedRequest } from './planning-http';
export { runWithDeadline } from './run-with-deadline';
