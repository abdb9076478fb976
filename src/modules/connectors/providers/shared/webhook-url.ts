import { ConnectorContext } from '../../contract';
import { requireSecret } from './provider-call';

/** Webhook-URL credentials (Slack, Discord): the URL itself is the secret. */
export const WEBHOOK_URL_CREDENTIAL_SCHEMA = {
  type: 'object',
  required: ['webhookUrl'],
  additionalProperties: false,
  properties: { webhookUrl: { type: 'string', format: 'uri', pattern: '^https?://', description: 'The secret incoming-webhook URL' } },
};

export function webhookUrl(provider: string, ctx: ConnectorContext): string {
  return requireSecret(provider, ctx, 'webhookUrl');
}
