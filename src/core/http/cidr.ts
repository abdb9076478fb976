import { IpAddress, parseIp } from './ip-address';

/** An address range such as 10.0.0.0/8 or fc00::/7. */
export interface Cidr {
  version: 4 | 6;
  /** The address as written; only its first `prefix` bits matter. */
  base: IpAddress;
  prefix: number;
}

/** Parses `10.0.0.0/8`, `fc00::/7`, or a bare address (a /32 or /128 range). Null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addr, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const base = parseIp(addr);
  if (!base) return null;
  const width = base.kind() === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? width : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return null;
  return { version: base.kind() === 'ipv4' ? 4 : 6, base, prefix };
}

/** Same family and the same first `prefix` bits (ipaddr.js `match`); IPv4-mapped forms are the caller's concern. */
export function cidrContains(range: Cidr, ip: IpAddress): boolean {
  return ip.kind() === range.base.kind() && ip.match(range.base, range.prefix);
}
