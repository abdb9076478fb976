import { uniqueHostPatterns } from '../../core/http/host-patterns';

/** A workflow step as stored (jsonb), as far as host derivation cares. */
export interface StoredStep {
  type?: string;
  connector?: string;
  credentialId?: string | null;
  params?: Record<string, unknown> | null;
}

/**
 * The hosts a generic credential's workflows call today (migration 1763730000000): the host of
 * each literal `params.url` of a step that uses the credential. A URL whose scheme or host is
 * templated (`https://{{trigger.host}}/x`) tells nothing and is skipped; a templated path or
 * query is fine. A relative SOAP path goes to SOAP_BASE_URL when `baseUrl` is given.
 */
export function deriveAllowedHosts(
  credentialId: string,
  steps: Iterable<StoredStep>,
  baseUrls: Record<string, string | undefined> = {},
): string[] {
  const hosts: Array<string | undefined> = [];
  for (const step of steps) {
    if (!step || step.credentialId !== credentialId || !step.connector) continue;
    const url = step.params?.url;
    if (typeof url === 'string' && /^https?:\/\//i.test(url.trim())) hosts.push(literalHost(url.trim()));
    else if ((url === undefined || (typeof url === 'string' && !url.includes('{{'))) && baseUrls[step.connector]) {
      hosts.push(literalHost(baseUrls[step.connector]!));
    }
  }
  return uniqueHostPatterns(hosts);
}

/** `host[:port]` of an absolute URL whose scheme and authority are literal text. */
function literalHost(url: string): string | undefined {
  const authority = /^https?:\/\/([^/?#]*)/i.exec(url)?.[1];
  if (authority === undefined || authority.includes('{{') || authority.includes('}}')) return undefined;
  try {
    const parsed = new URL(`${url.slice(0, url.indexOf('://'))}://${authority}/`);
    return parsed.host || undefined;
  } catch {
    return undefined;
  }
}
