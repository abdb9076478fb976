import { AppException } from '../../core/errors/app-exception';
import { AuthUser } from '../../core/security/auth-user';
import { isUuid } from '../../core/validation/uuid';
import { NangoConnectionInfo } from '../nango';
import { CompanyConnectionData } from './companies.repository';

/**
 * Connection tags Flowgate puts on every connect session (Nango copies them onto the
 * connection it creates and into its auth webhooks). Nango lowercases tag keys, so these are
 * lowercase. `organization_id` names the tenant; `flowgate_session` names one connect
 * attempt, so the callback can find the connection Nango created for it (Nango chooses the
 * connection id and tells nobody but the webhook and its own API).
 */
export const TAGS = {
  endUserId: 'end_user_id',
  endUserEmail: 'end_user_email',
  tenant: 'organization_id',
  session: 'flowgate_session',
} as const;

/** Read only, for connections made before Flowgate used the `organization_id` tag. */
const LEGACY_TENANT_TAG = 'flowgate_tenant_id';
/** Nango refuses tag values longer than this. */
const MAX_TAG_VALUE = 200;
/** The email check Nango applies to the `end_user_email` tag (zod's): one it refuses is left out. */
const TAG_EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** The tags of a connect session started by `user`; `sessionRef` identifies this attempt. */
export function sessionTags(user: AuthUser, sessionRef: string): Record<string, string> {
  const tags: Record<string, string> = { [TAGS.tenant]: user.tenantId, [TAGS.endUserId]: user.userId, [TAGS.session]: sessionRef };
  // Shown in Nango's dashboard.
  if (user.email && user.email.length <= MAX_TAG_VALUE && TAG_EMAIL.test(user.email)) tags[TAGS.endUserEmail] = user.email;
  return tags;
}

/** The tenant a set of tags names (current tag first, then the legacy one). */
export function tenantOfTags(tags: Record<string, string> | null | undefined): string | null {
  return tags?.[TAGS.tenant] ?? tags?.[LEGACY_TENANT_TAG] ?? null;
}

/**
 * Which tenant a Nango connection says it belongs to: the tags Flowgate set on the connect
 * session (server-side, with the secret key, so a browser cannot choose them), or the
 * deprecated end-user organization of older connections. Null for connections made outside a
 * Flowgate session.
 */
export function tenantOfConnection(c: Pick<NangoConnectionInfo, 'tags' | 'endUser'>): string | null {
  return tenantOfTags(c.tags) ?? c.endUser?.organizationId ?? null;
}

/** The tenant an auth webhook claims (tags, then the deprecated end-user fields); only a UUID counts. */
export function tenantClaimedByWebhook(e: {
  tags?: Record<string, string> | null;
  endUser?: { organizationId?: string | null; tags?: Record<string, string> | null } | null;
}): string | null {
  const claimed = tenantOfTags(e.tags) ?? tenantOfTags(e.endUser?.tags) ?? e.endUser?.organizationId ?? null;
  return claimed && isUuid(claimed) ? claimed : null;
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
  const pick = (...vals: unknown[]) =>
    vals
      .find((v): v is string => typeof v === 'string' && v.trim() !== '')
      ?.trim()
      .slice(0, 255) ?? null;
  return {
    connectionId: c.connectionId,
    providerConfigKey: c.providerConfigKey,
    provider: c.provider,
    businessName: pick(m.business_name, m.businessName, m.company_name, m.companyName, c.endUser?.organizationName, c.endUser?.displayName),
    connectionConfig: c.connectionConfig ?? {},
    tokenExpiresAt: c.tokenExpiresAt,
  };
}
