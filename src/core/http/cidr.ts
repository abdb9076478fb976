import { IpAddress, parseIp } from './ip-address';

/** An address range such as 10.0.0.0/8 or fc00::/7. */
export interface Cidr {
  version: 4 | 6;
  base: bigint;
  prefix: number;
}

/** Parses `10.0.0.0/8`, `fc00::/7`, or a bare address (a /32 or /128 range). Null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addr, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const width = ip.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return null;
  return { version: ip.version, base: mask(ip.value, prefix, width), prefix };
}

export function cidrContains(range: Cidr, ip: IpAddress): boolean {
  if (range.version !== ip.version) return false;
  const width = ip.version === 4 ? 32 : 128;
  return mask(ip.value, range.prefix, width) === range.base;
}

function mask(value: bigint, prefix: number, width: number): bigint {
  if (prefix === 0) return 0n;
  const hostBits = BigInt(width - prefix);
  return (value >> hostBits) << hostBits;
}
