import { Module } from '@nestjs/common';
import { ConnectorCatalogModule, ConnectorRegistry } from '../../connectors';
import { AuthKindRegistry, CredentialsModule } from '../../credentials';
import { ExecutionsModule } from '../../executions';
import { triggerDocumentation, WorkflowsModule } from '../../workflows';
import { ActiveAmqpWorkflows } from './active-amqp-workflows';
import { AmqpBrokerConnector } from './amqp-broker.connector';
import { AmqpConsumerManager } from './amqp-consumer-manager';
import { AMQP_AUTH_KIND } from './amqp-credential';
import { AMQP_TRIGGER } from './amqp-trigger';
import { AmqpTriggerHandler } from './amqp-trigger.handler';
import { BrokerDialer } from './broker-dialer';

/**
 * The `amqp` trigger (RabbitMQ): its handler registers with the TriggerRegistry, its credential
 * kind with the AuthKindRegistry and the broker's catalog entry with the ConnectorRegistry.
 * Nothing else in the application names it.
 */
@Module({
  imports: [ConnectorCatalogModule, CredentialsModule, ExecutionsModule, WorkflowsModule],
  providers: [BrokerDialer, ActiveAmqpWorkflows, AmqpConsumerManager, AmqpTriggerHandler, triggerDocumentation(AMQP_TRIGGER)],
  exports: [AmqpTriggerHandler, AmqpConsumerManager],
})
export class AmqpTriggerModule {
  constructor(kinds: AuthKindRegistry, connectors: ConnectorRegistry, dialer: BrokerDialer) {
    kinds.register(AMQP_AUTH_KIND);
    connectors.add(new AmqpBrokerConnector(dialer));
  }
}
