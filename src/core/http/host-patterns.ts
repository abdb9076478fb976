/**
 * Host patterns of a credential's `allowedHosts` (README, "Credentials: hosts and redirects"):
 * - `api.example.com`: that host, any port;
 * - `*.example.com`: any subdomain of example.com (not example.com itself), any port;
 * - `api.example.com:8443`, `127.0.0.1:9000`, `[::1]:9000`: that host on that port only.
 * IP addresses are written as the URL parser prints them (`[::1]` for IPv6); names are ASCII
 * (punycode for IDNs) and case-insensitive. No scheme, path or user info.
 */

const LABEL = '[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?';
const HOSTNAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const IPV6 = /^\[[0-9a-f:.]+\]$/;
export const MAX_ALLOWED_HOSTS = 50;
const MAX_PATTERN_LENGTH = 260;

export interface HostPattern {
  /** Lower-case host name, IPv4 address or bracketed IPv6 address (without the `*.`). */
  host: string;
  /** `*.host`: subdomains only. */
  wildcard: boolean;
  /** Only this port when set. */
  port?: number;
}

/** The pattern in its stored form (`*.example.com:8443`), or a reason it is not one. */
export function normalizeHostPattern(raw: unknown): { value: string } | { problem: string } {
  if (typeof raw !== 'string') return { problem: 'must be a string' };
  const text = raw.trim().toLowerCase();
  if (!text) return { problem: 'must not be empty' };
  if (text.length > MAX_PATTERN_LENGTH) return { problem: `must be at most ${MAX_PATTERN_LENGTH} characters` };
  if (/[/?#@\s]/.test(text) || text.includes('://'))
    return {
      problem: 'must be a host name with an optional port (no scheme, path or user info), e.g. api.example.com or *.example.com:8443',
    };
  const parsed = parseHostPattern(text);
  if (!parsed) return { problem: 'must be a host name, IP address or *.domain, with an optional :port (1-65535)' };
  return { value: formatHostPattern(parsed) };
}

export function parseHostPattern(text: string): HostPattern | undefined {
  let rest = text
    .trim()
    .toLowerCase()
    .replace(/\.(?=:\d+$|$)/, '');
  let port: number | undefined;
  const portMatch = /^(.*[^:]):(\d{1,5})$/.exec(rest);
  if (portMatch && (rest.startsWith('[') ? rest.indexOf(']') < portMatch[1].length : !portMatch[1].includes(':'))) {
    port = Number(portMatch[2]);
    if (port < 1 || port > 65535) return undefined;
    rest = portMatch[1];
  }
  const wildcard = rest.startsWith('*.');
  const host = wildcard ? rest.slice(2) : rest;
  if (IPV6.test(host)) return wildcard ? undefined : { host: canonicalHost(host), wildcard, port };
  if (!HOSTNAME.test(host) || host.length > 253) return undefined;
  return { host: canonicalHost(host), wildcard, port };
}

export function formatHostPattern(p: HostPattern): string {
  return `${p.wildcard ? '*.' : ''}${p.host}${p.port ? `:${p.port}` : ''}`;
}

/** The URL parser's form of a host (`[::1]`, `127.0.0.1` from `2130706433`); the input when it is not one. */
function canonicalHost(host: string): string {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return host;
  }
}

/** `host` or `host:port` of a URL, as a pattern (the default port left out: any port). */
export function hostPatternOfUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Stored patterns, parsed once: every hop of every call with a credential checks them, and
 * parsing canonicalises through the URL parser. Bounded; cleared when full.
 */
const parsedPatterns = new Map<string, HostPattern | undefined>();
const MAX_PARSED_PATTERNS = 10_000;

function parsedPattern(raw: string): HostPattern | undefined {
  if (parsedPatterns.has(raw)) return parsedPatterns.get(raw);
  const p = parseHostPattern(raw);
  if (parsedPatterns.size >= MAX_PARSED_PATTERNS) parsedPatterns.clear();
  parsedPatterns.set(raw, p);
  return p;
}

/** Does `url` go to a host (and port) one of the patterns names? */
export function hostAllowedBy(patterns: readonly string[], url: URL): boolean {
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return patterns.some((raw) => {
    const p = parsedPattern(raw);
    if (!p) return false;
    if (p.port !== undefined && p.port !== port) return false;
    return p.wildcard ? hostname.endsWith(`.${p.host}`) : hostname === p.host;
  });
}

/** Sorted, de-duplicated stored forms; invalid entries dropped (callers validate first). */
export function uniqueHostPatterns(values: Iterable<string | undefined>): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (!v) continue;
    const n = normalizeHostPattern(v);
    if ('value' in n) out.add(n.value);
  }
  return [...out].sort();
}
