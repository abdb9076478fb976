import type { ErrorDetail } from '../../../core/errors/app-exception';
import type { AuthKind, JsonSchema } from '../../connectors/contract';

export interface ResolveContext {
  tenantId: string;
  credentialId: string;
  connectorKey: string;
  /** Aborted when the step times out. */
  signal?: AbortSignal;
}

/**
 * Everything specific to one credential kind lives in its handler, so a new kind (e.g. `nango`:
 * a reference to a marketplace company whose token is fetched at call time) is one class plus
 * one `AuthKindRegistry.register()` call, nothing else.
 */
export interface AuthKindHandler {
  readonly kind: AuthKind;
  /** The stored fields when the connector gives no credentialSchema of its own. */
  readonly defaultSchema: JsonSchema;
  /**
   * True when this kind's schema applies even to a connector that has a credentialSchema:
   * the stored fields belong to the kind, not the connector (nango: a connection reference).
   */
  readonly ownsSchema?: boolean;
  /** Masked summary shown by the API instead of the secrets. */
  hint(secrets: Record<string, string>): string;
  /**
   * Checks that need the tenant's data (the schema has already passed), at create and update:
   * problems name the field (`secrets.<name>`). nango: the company must be one of the tenant's.
   */
  checkForTenant?(secrets: Record<string, string>, tenantId: string): Promise<ErrorDetail[]>;
  /** What the connector receives at call time; by default the stored fields as they are. */
  resolve?(stored: Record<string, string>, ctx: ResolveContext): Promise<Record<string, string>>;
}
