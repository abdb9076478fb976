import ipaddr from 'ipaddr.js';
import { IpAddress, parseIp } from './ip-address';

/**
 * Address ranges an outbound request must never reach unless OUTBOUND_ALLOW_HOSTS names them:
 * the host itself, the private network, cloud metadata (169.254.169.254) and everything that is
 * not a public unicast address. Order matters only for the reason shown (first match wins).
 */
const RANGES: Array<[string, string]> = [
  ['0.0.0.0/8', 'unspecified ("this network") address'],
  ['10.0.0.0/8', 'private address'],
  ['100.64.0.0/10', 'carrier-grade NAT (shared) address'],
  ['127.0.0.0/8', 'loopback address'],
  ['169.254.0.0/16', 'link-local address (cloud metadata range)'],
  ['172.16.0.0/12', 'private address'],
  ['192.0.0.0/24', 'reserved address (IETF protocol assignments)'],
  ['192.0.2.0/24', 'reserved address (documentation)'],
  ['192.88.99.0/24', 'reserved address (6to4 relay)'],
  ['192.168.0.0/16', 'private address'],
  ['198.18.0.0/15', 'reserved address (benchmarking)'],
  ['198.51.100.0/24', 'reserved address (documentation)'],
  ['203.0.113.0/24', 'reserved address (documentation)'],
  ['224.0.0.0/4', 'multicast address'],
  ['240.0.0.0/4', 'reserved address'],
  ['::/128', 'unspecified address'],
  ['::1/128', 'loopback address'],
  ['::/96', 'reserved address (IPv4-compatible IPv6)'],
  ['64:ff9b:1::/48', 'reserved address (local NAT64)'],
  ['100::/64', 'reserved address (discard-only)'],
  ['2001::/23', 'reserved address (IETF protocol assignments)'],
  ['2001:db8::/32', 'reserved address (documentation)'],
  ['fc00::/7', 'private address (unique local)'],
  ['fe80::/10', 'link-local address'],
  ['fec0::/10', 'reserved address (site-local)'],
  ['ff00::/8', 'multicast address'],
];

/**
 * The table as ipaddr.js `subnetMatch` wants it: reason → ranges. Object keys keep the table's
 * order of first appearance, and `subnetMatch` returns the first reason with a matching range,
 * so the overlaps resolve as listed (`::1` is loopback before it is IPv4-compatible).
 */
const BLOCKED: Record<string, [IpAddress, number][]> = {};
for (const [text, reason] of RANGES) (BLOCKED[reason] ??= []).push(ipaddr.parseCIDR(text));

const NOT_BLOCKED = '';
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');

/**
 * The IPv4 address an IPv6 address really leads to, when it embeds one: IPv4-mapped
 * (::ffff:10.0.0.1), well-known NAT64 (64:ff9b::a00:1: the last 32 bits) and 6to4
 * (2002:a00:1::: the 32 bits after 2002). Otherwise itself.
 */
export function effectiveAddress(ip: IpAddress): IpAddress {
  if (!(ip instanceof ipaddr.IPv6)) return ip;
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address();
  const bytes = ip.toByteArray();
  if (ip.match(NAT64)) return ipaddr.fromByteArray(bytes.slice(12, 16));
  if (ip.match(SIX_TO_FOUR)) return ipaddr.fromByteArray(bytes.slice(2, 6));
  return ip;
}

/** Why this address may not be reached, or null for a public unicast address. */
export function blockedReason(address: string | IpAddress): string | null {
  const parsed = typeof address === 'string' ? parseIp(address) : address;
  if (!parsed) return 'not an IP address';
  return ipaddr.subnetMatch(effectiveAddress(parsed), BLOCKED, NOT_BLOCKED) || null;
}
