import { AppException } from '../../core/errors/app-exception';
import { NangoConnectionInfo } from '../nango/nango.types';
import { CompanyConnectionData } from './companies.repository';

/** Tag Flowgate puts on every connect session, so the connection names its tenant. */
export const TENANT_TAG = 'flowgate_tenant_id';
export const CONNECTION_TAG = 'flowgate_connection_id';

/**
 * Which tenant a Nango connection says it belongs to: the tag or organization Flowgate set
 * on the connect session (server-side, with the secret key, so a browser cannot choose it).
 * Null for connections made outside a Flowgate session (older setups).
 */
export function tenantOfConnection(c: Pick<NangoConnectionInfo, 'tags' | 'endUser'>): string | null {
  return c.tags?.[TENANT_TAG] ?? c.endUser?.organizationId ?? null;
}

/**
 * A tenant may attach a connection that names it, or one that names nobody; a connection
 * that names another tenant answers the same 404 as an unknown one (no existence leak).
 */
export function assertConnectionBelongsTo(tenantId: string, c: NangoConnectionInfo): void {
  const owner = tenantOfConnection(c);
  if (owner && owner !== tenantId) throw new AppException(404, 'NANGO_CONNECTION_NOT_FOUND', 'Nango: Connection not found');
}

export function companyDataFrom(c: NangoConnectionInfo): CompanyConnectionData {
  const m = c.metadata ?? {};
  const pick = (...vals: unknown[]) => vals.find((v): v is string => typeof v === 'string' && v.trim() !== '')?.trim().slice(0, 255) ?? null;
  return {
    connectionId: c.connectionId,
    providerConfigKey: c.providerConfigKey,
    provider: c.provider,
    businessName: pick(m.business_name, m.businessName, m.company_name, m.companyName, c.endUser?.organizationName, c.endUser?.displayName),
    connectionConfig: c.connectionConfig ?? {},
    tokenExpiresAt: c.tokenExpiresAt,
  };
}
