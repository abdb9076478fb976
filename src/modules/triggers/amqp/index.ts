/** The amqp trigger's public surface. */
export { AmqpTriggerModule } from './amqp-trigger.module';
