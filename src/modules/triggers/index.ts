/** The triggers module's public surface: other modules import from here, never from its files. */
export { TriggersModule } from './triggers.module';
export { isWebhookTrigger, WEBHOOK_TRIGGER_TYPE } from './webhook/webhook-trigger';
