/**
 * The connectors module's public surface: other modules import from here, never from its files.
 * Layers below it have their own entries: `./contract` (what connectors and credential kinds
 * share) and `./catalog` (registry, context, params) — credentials import those, never this file.
 */
export * from './catalog';
export * from './contract';
export { ConnectorInvoker } from './connector-invoker';
export type { InvokeOutcome, InvokeRequest } from './connector-invoker';
export { ConnectorsModule } from './connectors.module';
export { SoapFaultError } from './providers/soap/soap-client';
export { googleServiceAccountKind, GOOGLE_SERVICE_ACCOUNT_KIND } from './providers/google-sheets/google-service-account';
