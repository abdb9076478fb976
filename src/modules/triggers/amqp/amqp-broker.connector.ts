import { ConnectorError } from '../../connectors';
import type { Connector, ConnectorContext, ConnectorDescriptor } from '../../connectors';
import { AMQP_KIND } from './amqp-credential';
import { BrokerDialer } from './broker-dialer';

/**
 * The broker as an entry of the connector catalog, so that an `amqp` credential has its
 * connector key (`connectorKey: "amqp"`), its secrets schema shows in GET /api/connectors/amqp
 * and POST /api/credentials/:id/test can open a connection. It offers no step actions: the
 * broker is a trigger's source, not a step's target.
 */
export class AmqpBrokerConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: AMQP_KIND,
    name: 'RabbitMQ (AMQP 0-9-1)',
    description:
      'Credentials for the amqp workflow trigger: the broker URL (amqp://user:password@host:5672/vhost). No step actions; the trigger consumes a queue.',
    auth: [AMQP_KIND],
    // The broker is the one the credential's URL names (checked by the outbound address policy).
    hosts: [],
    actions: [],
    docsUrl: 'https://www.rabbitmq.com/docs/uri-spec',
  };

  constructor(private readonly dialer: BrokerDialer) {}

  execute(action: string): Promise<unknown> {
    return Promise.reject(
      new ConnectorError(`RabbitMQ: no step action "${action}" (the broker is used by the amqp trigger)`, { retryable: false }),
    );
  }

  /** Opens and closes a connection: the address is allowed, the broker answers, the login and vhost are accepted. */
  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    const url = ctx.credential?.secrets.url ?? '';
    try {
      const connection = await this.dialer.connect(url, 'flowgate credential test');
      await connection.close().catch(() => undefined);
    } catch (e) {
      const err = this.dialer.toBrokerError(e, url);
      throw new ConnectorError(`RabbitMQ: ${err.message}`, {
        retryable: err.retryable,
        code: err.retryable ? 'BROKER_UNREACHABLE' : 'BROKER_REFUSED',
      });
    }
    return { ok: true, detail: 'Connected to the broker and logged in' };
  }
}
