import { parseCidr } from '../http/cidr';

/**
 * Which proxies may tell Flowgate who the client is (X-Forwarded-For). Every per-client limit
 * (the global throttle, login/register) keys on `request.ip` as Fastify computes it from this,
 * so trusting a hop that is not a proxy lets any client pick a new identity per request.
 *
 * - `false`: no proxy; the client is the socket's peer and X-Forwarded-For is ignored.
 * - a hop count `n`: the `n` nearest hops are proxies whatever their address; the client is
 *   the next address to the left in X-Forwarded-For. Only safe when nothing can reach the
 *   process except through those proxies (Railway's edge).
 * - addresses: only a peer in these addresses/ranges is a proxy (Kong's address).
 */
export type TrustProxy = false | number | string[];

/** Names @fastify/proxy-addr knows besides addresses and CIDRs. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses TRUST_PROXY; throws an Error whose message names what is wrong. */
export function parseTrustProxy(text: string): TrustProxy {
  const value = text.trim();
  if (value === '' || /^(false|off|no|0)$/i.test(value)) return false;
  if (/^(true|on|yes)$/i.test(value)) {
    throw new Error(
      '"true" would trust every X-Forwarded-For value (any client could pick its address): give the number of proxies in front (e.g. 1) or their addresses',
    );
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 20) throw new Error(`a hop count must be between 1 and 20, got ${value}`);
    return hops;
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !NAMED_RANGES.has(e) && !parseCidr(e));
  if (bad.length) {
    throw new Error(
      `must be a hop count or comma-separated IP addresses/CIDR ranges (or loopback, linklocal, uniquelocal); not understood: ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
    );
  }
  return entries;
}

/**
 * Fastify's trustProxy option for the setting. Fastify 5.12 no longer accepts a bare hop count
 * (it then trusts nobody), so a count becomes a function of the hop's position: hop 0 is the
 * socket's peer, hop 1 the right-most X-Forwarded-For entry, and so on.
 */
export function fastifyTrustProxy(setting: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}
