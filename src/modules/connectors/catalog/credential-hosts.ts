import { hostPatternOfUrl, uniqueHostPatterns } from '../../../core/http/host-patterns';
import { ConnectorDescriptor } from '../contract';

/**
 * Where a credential may be sent (README, "Credentials: hosts and redirects"):
 * - its `allowedHosts` when an owner or admin set them;
 * - otherwise, for a provider connector, the provider's hosts (`descriptor.hosts`) plus the
 *   hosts the credential itself names (a webhook URL, a Salesforce instance URL);
 * - a generic connector (no `descriptor.hosts`: http, soap) has no default: its credentials
 *   are unusable until their hosts are named;
 * - always the host of the operator's base URL override (`<NAME>_BASE_URL`) when one is set.
 */
export function effectiveHosts(
  descriptor: ConnectorDescriptor,
  allowedHosts: string[] | null,
  secrets: Record<string, string>,
  baseUrlOverride: string,
): string[] {
  const chosen = allowedHosts ?? (descriptor.hosts ? [...descriptor.hosts, ...(descriptor.credentialHosts?.(secrets) ?? [])] : []);
  const override = baseUrlOverride ? hostPatternOfUrl(baseUrlOverride) : undefined;
  return uniqueHostPatterns([...chosen, override]);
}

/** Why a credential cannot be used until an owner or admin names its hosts; null when it can. */
export function hostsProblem(descriptor: Pick<ConnectorDescriptor, 'hosts' | 'name'>, allowedHosts: string[] | null): string | null {
  if (allowedHosts === null && descriptor.hosts) return null;
  if (allowedHosts && allowedHosts.length) return null;
  return descriptor.hosts
    ? 'it has no allowed hosts'
    : `${descriptor.name} credentials must name the hosts they may be sent to (none are set; an owner or admin can set allowedHosts)`;
}

/** The URL of a connector's defaults, as a host pattern (for `descriptor.credentialHosts`). */
export function hostOf(url: string | undefined): string | undefined {
  return url ? hostPatternOfUrl(url) : undefined;
}

/** `descriptor.hosts` from the provider's default base URLs (one place for each provider's address). */
export function hostsOf(...urls: string[]): string[] {
  return uniqueHostPatterns(urls.map(hostOf));
}
