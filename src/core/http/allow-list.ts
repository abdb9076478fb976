import { Cidr, cidrContains, parseCidr } from './cidr';
import { effectiveAddress } from './blocked-ranges';
import { IpAddress, unbracket } from './ip-address';

/**
 * OUTBOUND_ALLOW_HOSTS, parsed: exact hostnames (`api.internal`), wildcard subdomains
 * (`*.corp.example`), IP addresses (`127.0.0.1`, `::1`) and CIDR ranges (`10.1.0.0/16`).
 */
export interface AllowList {
  hosts: Set<string>;
  suffixes: string[];
  ranges: Cidr[];
}

const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i;

export class AllowListError extends Error {
  constructor(public readonly badEntries: string[]) {
    super(`OUTBOUND_ALLOW_HOSTS: not a hostname, IP address or CIDR range: ${badEntries.map((e) => `"${e}"`).join(', ')}`);
  }
}

export function parseAllowList(entries: string[]): AllowList {
  const list: AllowList = { hosts: new Set(), suffixes: [], ranges: [] };
  const bad: string[] = [];
  for (const raw of entries) {
    const entry = unbracket(raw.trim().toLowerCase());
    if (!entry) continue;
    const range = parseCidr(entry);
    if (range) list.ranges.push(range);
    else if (entry.startsWith('*.') && HOSTNAME.test(entry.slice(2))) list.suffixes.push(entry.slice(1));
    else if (!entry.includes('/') && HOSTNAME.test(entry)) list.hosts.add(entry.replace(/\.$/, ''));
    else bad.push(raw.trim());
  }
  if (bad.length) throw new AllowListError(bad);
  return list;
}

export function hostAllowed(list: AllowList, hostname: string): boolean {
  const host = unbracket(hostname.toLowerCase()).replace(/\.$/, '');
  return list.hosts.has(host) || list.suffixes.some((s) => host.endsWith(s));
}

/** An IPv4-mapped IPv6 address matches the IPv4 entry it embeds (and the other way round). */
export function addressAllowed(list: AllowList, ip: IpAddress): boolean {
  const effective = effectiveAddress(ip);
  return list.ranges.some((r) => cidrContains(r, ip) || cidrContains(r, effective));
}
