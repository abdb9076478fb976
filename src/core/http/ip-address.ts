import ipaddr from 'ipaddr.js';
import { isIPv4, isIPv6 } from 'node:net';

/** A parsed IPv4 or IPv6 address (ipaddr.js). */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Strips the brackets URLs put around IPv6 literals (`[::1]` → `::1`). */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Parses an address in its standard text form only. The syntax gate is node:net's: ipaddr.js on
 * its own also reads the inet_aton forms (`0x7f.1`, `2130706433`, `127.1`, octal `010.0.0.1`),
 * which must stay "not an IP address" here, not become some other address. A zone id
 * (`fe80::1%eth0`) names an interface, not a different address, so it is dropped.
 */
export function parseIp(text: string): IpAddress | null {
  const s = unbracket(text.trim());
  if (isIPv4(s)) return ipaddr.IPv4.parse(s);
  if (isIPv6(s)) return ipaddr.IPv6.parse(s.split('%')[0]);
  return null;
}
