import type { ErrorDetail } from '../../../../core/errors/app-exception';
import { AppException } from '../../../../core/errors/app-exception';
import type { AppConfig } from '../../../../core/config/app-config';
import type { CredentialsService } from '../../../credentials';
import { TriggerRegistry } from '../../../workflows';
import type { AmqpConsumerManager } from '../amqp-consumer-manager';
import { AMQP_AUTH_KIND, parseBrokerUrl } from '../amqp-credential';
import { checkAmqpTriggerFields } from '../amqp-trigger';
import { AmqpTriggerHandler } from '../amqp-trigger.handler';
import { backoffDelay } from '../backoff';
import { BrokerDialer } from '../broker-dialer';

const CRED = '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const TENANT = '11111111-2222-4333-8444-555555555555';

function fields(input: Record<string, unknown>) {
  const problems: ErrorDetail[] = [];
  const trigger = checkAmqpTriggerFields({ type: 'amqp', ...input }, 'trigger', problems);
  return { trigger, fields: problems.map((p) => p.field) };
}

describe('amqp trigger fields', () => {
  it('defaults prefetch to 10 and keeps a binding', () => {
    expect(fields({ credentialId: CRED, queue: 'orders' }).trigger).toEqual({
      type: 'amqp',
      credentialId: CRED,
      queue: 'orders',
      prefetch: 10,
    });
    expect(fields({ credentialId: CRED, queue: 'orders', prefetch: 100, exchange: 'events' }).trigger).toEqual({
      type: 'amqp',
      credentialId: CRED,
      queue: 'orders',
      prefetch: 100,
      exchange: 'events',
      routingKey: '',
    });
  });

  it.each<[Record<string, unknown>, string[]]>([
    [{ queue: 'q' }, ['trigger.credentialId']],
    [{ credentialId: 'nope', queue: 'q' }, ['trigger.credentialId']],
    [{ credentialId: CRED }, ['trigger.queue']],
    [{ credentialId: CRED, queue: '' }, ['trigger.queue']],
    [{ credentialId: CRED, queue: 'x'.repeat(256) }, ['trigger.queue']],
    [{ credentialId: CRED, queue: 'a\nb' }, ['trigger.queue']],
    [{ credentialId: CRED, queue: 'amq.gen-1' }, ['trigger.queue']],
    [{ credentialId: CRED, queue: 'q', prefetch: 0 }, ['trigger.prefetch']],
    [{ credentialId: CRED, queue: 'q', prefetch: 101 }, ['trigger.prefetch']],
    [{ credentialId: CRED, queue: 'q', prefetch: 1.5 }, ['trigger.prefetch']],
    [{ credentialId: CRED, queue: 'q', routingKey: 'k' }, ['trigger.routingKey']],
    [{ credentialId: CRED, queue: 'q', exchange: '' }, ['trigger.exchange']],
    [{ credentialId: CRED, queue: 'q', durable: true }, ['trigger.durable']],
  ])('%j → problems at %j', (input, expected) => {
    const r = fields(input);
    expect(r.trigger).toBeNull();
    expect(r.fields).toEqual(expected);
  });
});

describe('AmqpTriggerHandler.normalize (credential checks)', () => {
  const config = { outbound: { allowHosts: ['127.0.0.1'], connectTimeoutMs: 1000 } } as unknown as AppConfig;
  const rows: Record<string, { tenantId: string; name: string; authKind: string; url: string }> = {
    [CRED]: { tenantId: TENANT, name: 'broker', authKind: 'amqp', url: 'amqp://u:p@127.0.0.1:5672/' },
    'aaaaaaaa-0000-4000-8000-000000000001': { tenantId: 'other-tenant', name: 'theirs', authKind: 'amqp', url: 'amqp://u:p@127.0.0.1/' },
    'aaaaaaaa-0000-4000-8000-000000000002': { tenantId: TENANT, name: 'slack', authKind: 'webhook_url', url: '' },
    'aaaaaaaa-0000-4000-8000-000000000003': { tenantId: TENANT, name: 'internal', authKind: 'amqp', url: 'amqp://u:p@10.0.0.5/' },
  };
  const credentials = {
    owned: jest.fn(async (tenantId: string, id: string) => {
      const row = rows[id];
      if (!row || row.tenantId !== tenantId) throw AppException.notFound('Credential');
      return { id, ...row };
    }),
    resolve: jest.fn(async (row: { url: string }) => ({ secrets: { url: row.url } })),
  } as unknown as CredentialsService;
  const registry = new TriggerRegistry();
  const handler = new AmqpTriggerHandler(registry, credentials, {} as AmqpConsumerManager, new BrokerDialer(config));

  async function normalize(credentialId: string) {
    const problems: ErrorDetail[] = [];
    const trigger = await handler.normalize(
      { type: 'amqp', credentialId, queue: 'orders' },
      { tenantId: TENANT, field: 'trigger' },
      problems,
    );
    return { trigger, problems };
  }

  it('registers itself as the amqp trigger', () => {
    expect(registry.get('amqp')).toBe(handler);
  });

  it('accepts an amqp credential of the tenant', async () => {
    expect(await normalize(CRED)).toEqual({ trigger: { type: 'amqp', credentialId: CRED, queue: 'orders', prefetch: 10 }, problems: [] });
  });

  it("answers another tenant's credential exactly like an unknown one", async () => {
    const theirs = await normalize('aaaaaaaa-0000-4000-8000-000000000001');
    const unknown = await normalize('aaaaaaaa-0000-4000-8000-00000000ffff');
    expect(theirs.trigger).toBeNull();
    expect(theirs.problems).toEqual(unknown.problems);
    expect(theirs.problems).toEqual([{ field: 'trigger.credentialId', message: expect.stringContaining('no amqp credential') }]);
    expect(JSON.stringify(theirs.problems)).not.toContain('theirs');
  });

  it('refuses a credential of another kind, and a broker address the outbound policy blocks', async () => {
    expect((await normalize('aaaaaaaa-0000-4000-8000-000000000002')).problems[0]).toEqual({
      field: 'trigger.credentialId',
      message: expect.stringContaining('kind webhook_url'),
    });
    const blocked = (await normalize('aaaaaaaa-0000-4000-8000-000000000003')).problems[0];
    expect(blocked.field).toBe('trigger.credentialId');
    expect(blocked.message).toContain('private');
    expect(blocked.message).not.toContain('u:p');
  });
});

describe('amqp credential kind', () => {
  it('shows the address, never the user name or password', () => {
    expect(AMQP_AUTH_KIND.hint({ url: 'amqps://alice:s3cr3t-pass@broker.example.com/orders' })).toBe(
      'amqps://broker.example.com:5671/orders',
    );
    expect(AMQP_AUTH_KIND.hint({ url: 'amqp://alice:s3cr3t-pass@[::1]:5673' })).toBe('amqp://[::1]:5673');
    expect(AMQP_AUTH_KIND.hint({ url: 'not a url' })).toBe('…');
  });

  it('parses the vhost and refuses what is not a broker URL (field secrets.url)', async () => {
    expect(parseBrokerUrl('amqp://h/%2Fprod')).toEqual({ address: { protocol: 'amqp:', host: 'h', port: 5672, vhost: '/prod' } });
    expect(parseBrokerUrl('amqp://h')).toEqual({ address: { protocol: 'amqp:', host: 'h', port: 5672, vhost: '/' } });
    for (const url of ['http://h', 'amqp://h/a/b', 'amqp://h#x', 'nope'])
      expect(await AMQP_AUTH_KIND.checkForTenant!({ url }, TENANT)).toEqual([{ field: 'secrets.url', message: expect.any(String) }]);
  });
});

describe('BrokerDialer errors', () => {
  const dialer = new BrokerDialer({ outbound: { allowHosts: [], connectTimeoutMs: 1000 } } as unknown as AppConfig);
  const url = 'amqp://alice:s3cr3t-pass@broker.example.com:5672/';

  it('never repeats the password and tells a refused login from an unreachable broker', () => {
    const refused = dialer.toBrokerError(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) for s3cr3t-pass'), url);
    expect(refused.message).not.toContain('s3cr3t-pass');
    expect(refused.message).toContain('amqp://broker.example.com:5672');
    expect(refused.retryable).toBe(false);
    expect(dialer.toBrokerError(new Error('connect ECONNREFUSED'), url).retryable).toBe(true);
  });

  it('refuses a loopback literal unless OUTBOUND_ALLOW_HOSTS allows it', async () => {
    await expect(dialer.connect('amqp://u:p@127.0.0.1:5672/', 'test')).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('loopback'),
    });
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially, is capped, and keeps half of each step fixed', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(50, opts, () => 1)).toBe(30_000);
    expect(backoffDelay(50, opts, () => 0)).toBe(15_000);
  });
});
