import type { ErrorDetail } from '../../../core/errors/app-exception';
import type { AuthKindHandler } from '../../credentials';

export const AMQP_KIND = 'amqp' as const;

/** Where a credential's URL points, without its user name and password. */
export interface BrokerAddress {
  protocol: 'amqp:' | 'amqps:';
  /** Host name or IP literal (IPv6 without brackets). */
  host: string;
  port: number;
  vhost: string;
}

/** The broker address of an `amqp://` / `amqps://` URL, or a reason it is not one. */
export function parseBrokerUrl(raw: string): { address: BrokerAddress } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'must be a URL such as amqp://user:password@broker.example.com:5672/vhost' };
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') return { problem: 'must start with amqp:// or amqps://' };
  if (!url.hostname) return { problem: 'must name the broker host' };
  if (url.hash) return { problem: 'must not have a #fragment' };
  const port = url.port ? Number(url.port) : url.protocol === 'amqp:' ? 5672 : 5671;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const path = url.pathname.slice(1);
  if (path.includes('/')) return { problem: 'the path is the virtual host: encode a "/" in it as %2F' };
  let vhost: string;
  try {
    vhost = path ? decodeURIComponent(path) : '/';
  } catch {
    return { problem: 'the virtual host is not valid percent-encoding' };
  }
  return { address: { protocol: url.protocol, host, port, vhost } };
}

/** `amqps://broker.example.com:5671/orders`: never the user name or password. */
export function describeBroker(a: BrokerAddress): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.protocol}//${host}:${a.port}${a.vhost === '/' ? '' : `/${encodeURIComponent(a.vhost)}`}`;
}

/**
 * Credential kind `amqp`: a broker URL with its user name and password
 * (`amqp://user:password@host:5672/vhost`, `amqps://` for TLS). The API shows only the
 * address (`hint`); the URL itself goes nowhere but the AMQP connection.
 */
export const AMQP_AUTH_KIND: AuthKindHandler = {
  kind: AMQP_KIND,
  ownsSchema: true,
  defaultSchema: {
    type: 'object',
    required: ['url'],
    additionalProperties: false,
    properties: {
      url: {
        type: 'string',
        minLength: 8,
        maxLength: 2048,
        pattern: '^amqps?://',
        description: 'amqp://user:password@host:5672/vhost (amqps:// for TLS; a "/" in the vhost is %2F)',
      },
    },
  },
  hint(secrets) {
    const parsed = parseBrokerUrl(secrets.url ?? '');
    return 'address' in parsed ? describeBroker(parsed.address) : '…';
  },
  checkForTenant(secrets): Promise<ErrorDetail[]> {
    const parsed = parseBrokerUrl(secrets.url ?? '');
    return Promise.resolve('problem' in parsed ? [{ field: 'secrets.url', message: parsed.problem }] : []);
  },
};
