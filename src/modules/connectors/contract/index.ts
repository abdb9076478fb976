/**
 * The connector contract: what every connector and every credential kind share. A leaf: it
 * imports core only, so the catalog, credentials and the invoker can all build on it.
 */
export { CONNECTOR_ERROR_CODE, ConnectorError } from '../../../core/http/connector-error';
export type { ConnectorErrorOptions } from '../../../core/http/connector-error';
export type { OutboundHttp, OutboundRequest, OutboundResponse } from '../../../core/http/outbound.types';
export type {
  AuthKind,
  Connector,
  ConnectorActionDescriptor,
  ConnectorContext,
  ConnectorDescriptor,
  JsonSchema,
  ResolvedCredential,
} from './connector';
