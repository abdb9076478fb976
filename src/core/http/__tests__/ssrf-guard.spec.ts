import { parseAllowList, AllowListError } from '../allow-list';
import { blockedReason } from '../blocked-ranges';
import { parseCidr } from '../cidr';
import { parseIp } from '../ip-address';
import { BlockedAddressError, SsrfGuard } from '../ssrf-guard';

describe('SSRF address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:a00:5', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:a00:1::1', 'private'],
  ])('blocks %s (%s)', (ip, word) => {
    expect(blockedReason(ip)).toContain(word);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'lets public %s through',
    (ip) => {
      expect(blockedReason(ip)).toBeNull();
    },
  );

  it('parses IPv6 forms the same way', () => {
    expect(parseIp('[::1]')).toEqual(parseIp('0:0:0:0:0:0:0:1'));
    expect(parseIp('::ffff:10.0.0.1')).toEqual(parseIp('::ffff:a00:1'));
    expect(parseIp('example.com')).toBeNull();
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('fc00::/7')).toMatchObject({ version: 6, prefix: 7 });
  });
});

describe('SsrfGuard with OUTBOUND_ALLOW_HOSTS', () => {
  it('opens exact IPs, CIDR ranges and hostnames, and mapped forms of allowed IPv4', () => {
    const guard = new SsrfGuard(parseAllowList(['127.0.0.1', '10.1.0.0/16', 'internal.example', '*.corp.example']));
    expect(guard.reasonToBlock('127.0.0.1', '127.0.0.1')).toBeNull();
    expect(guard.reasonToBlock('x', '::ffff:127.0.0.1')).toBeNull();
    expect(guard.reasonToBlock('x', '10.1.2.3')).toBeNull();
    expect(guard.reasonToBlock('x', '10.2.0.1')).toContain('private');
    expect(guard.reasonToBlock('internal.example', '10.9.9.9')).toBeNull();
    expect(guard.reasonToBlock('api.corp.example', '192.168.0.1')).toBeNull();
    expect(guard.reasonToBlock('x', '::1')).toContain('loopback');
  });

  it('refuses IP literals with a message that names the address, the reason and the setting', () => {
    const guard = new SsrfGuard(parseAllowList([]));
    expect(() => guard.assertLiteralAllowed('10.0.0.5')).toThrow(
      'Blocked outbound request to 10.0.0.5: private address (set OUTBOUND_ALLOW_HOSTS to allow)',
    );
    expect(() => guard.assertLiteralAllowed('[::1]')).toThrow(BlockedAddressError);
    expect(() => guard.assertLiteralAllowed('example.com')).not.toThrow();
  });

  it('filters resolved addresses in the DNS hook and fails when none is left', (done) => {
    const guard = new SsrfGuard(parseAllowList([]));
    guard.lookup('localhost', { all: true }, (err) => {
      expect(err).toBeInstanceOf(BlockedAddressError);
      expect(err!.message).toMatch(/^Blocked outbound request to localhost \((127\.0\.0\.1|::1)\): loopback address/);
      done();
    });
  });

  it('rejects malformed allow-list entries by name', () => {
    expect(() => parseAllowList(['127.0.0.1', '10.0.0.0/99', 'not a host'])).toThrow(AllowListError);
    expect(() => parseAllowList(['10.0.0.0/99'])).toThrow('"10.0.0.0/99"');
  });
});
