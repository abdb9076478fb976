import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { AllowList, addressAllowed, hostAllowed } from './allow-list';
import { blockedReason } from './blocked-ranges';
import { parseIp, unbracket } from './ip-address';

export class BlockedAddressError extends Error {
  readonly code = 'OUTBOUND_BLOCKED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    const target = host === address ? address : `${host} (${address})`;
    super(`Blocked outbound request to ${target}: ${reason} (set OUTBOUND_ALLOW_HOSTS to allow)`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The SSRF guard. It judges the address a connection will really use: `lookup` replaces DNS
 * resolution for the socket, so a name that resolves to a private address (or changes its
 * answer between a check and the connect: DNS rebinding) never reaches it. IP literals skip
 * DNS in Node, so callers check them with `assertAllowed` first.
 */
export class SsrfGuard {
  constructor(private readonly allow: AllowList) {}

  /** Why `host` (resolved to `address`) may not be reached, or null. */
  reasonToBlock(host: string, address: string): string | null {
    if (hostAllowed(this.allow, host)) return null;
    const ip = parseIp(address);
    if (!ip) return 'not an IP address';
    if (addressAllowed(this.allow, ip)) return null;
    return blockedReason(ip);
  }

  /** Throws BlockedAddressError when the URL's host is an IP literal that may not be reached. */
  assertLiteralAllowed(hostname: string): void {
    const host = unbracket(hostname);
    if (!parseIp(host)) return;
    const reason = this.reasonToBlock(host, host);
    if (reason) throw new BlockedAddressError(host, host, reason);
  }

  /**
   * A drop-in for dns.lookup (the `lookup` option of http.request): resolves every address,
   * drops the ones that may not be reached and fails when none is left.
   */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const usable = addresses.filter((a) => !this.reasonToBlock(hostname, a.address));
      if (!usable.length) {
        const first = addresses[0];
        const reason = first ? this.reasonToBlock(hostname, first.address)! : 'no address';
        return callback(new BlockedAddressError(hostname, first?.address ?? hostname, reason), '');
      }
      if (options.all) return callback(null, usable);
      return callback(null, usable[0].address, usable[0].family);
    });
  };
}
