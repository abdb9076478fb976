import { Connector, ConnectorContext, ConnectorDescriptor, ConnectorError, OutboundResponse } from '../../contract';
import { hostOf } from '../../catalog/credential-hosts';
import { invalidParams, redactSecrets, retryAfterSeconds, textReason } from '../shared/provider-call';
import { WEBHOOK_URL_CREDENTIAL_SCHEMA, webhookUrl } from '../shared/webhook-url';
import { slackReason } from './slack-errors';

const PROVIDER = 'Slack';

/**
 * Slack incoming webhooks: POST `{ text, blocks? }` to the secret URL held by the credential;
 * success is 200 with the text body `ok`. The URL never appears in outputs or errors
 * (the outbound client names only the host).
 */
export class SlackConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'slack',
    name: 'Slack',
    description: 'Posts messages to a Slack channel through an incoming webhook.',
    auth: ['webhook_url'],
    credentialSchema: WEBHOOK_URL_CREDENTIAL_SCHEMA,
    hosts: ['hooks.slack.com'],
    credentialHosts: (s) => [hostOf(s.webhookUrl)],
    docsUrl: 'https://api.slack.com/messaging/webhooks',
    actions: [
      {
        key: 'send_message',
        name: 'Send message',
        description: 'Posts { text, blocks? } to the webhook’s channel. Output: { ok: true }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: { ok: true },
        input: {
          type: 'object',
          required: ['text'],
          additionalProperties: false,
          properties: {
            text: {
              type: 'string',
              minLength: 1,
              maxLength: 40000,
              description: 'Message text (also the notification fallback when blocks are given)',
            },
            blocks: { type: 'array', maxItems: 50, items: { type: 'object' }, description: 'Block Kit blocks' },
            username: { type: 'string', maxLength: 80 },
            icon_emoji: { type: 'string', pattern: '^:[^:\\s]+:$' },
            unfurl_links: { type: 'boolean' },
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'send_message') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    await this.post(ctx, params);
    return { ok: true };
  }

  /**
   * Posts an empty payload: a live webhook refuses it as invalid_payload/no_text (400) without
   * posting anything, while a dead one answers invalid_token/no_service/channel_is_archived.
   */
  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    const res = await ctx.http.request({ method: 'POST', url: webhookUrl(PROVIDER, ctx), body: {} });
    const code = res.text.trim();
    if (res.status === 400 && (code === 'invalid_payload' || code === 'no_text')) {
      return { ok: true, detail: 'Webhook URL is live (checked with an empty message; nothing was posted)' };
    }
    if (res.status === 200) return { ok: true, detail: 'Webhook URL is live' };
    throw this.failure(res, ctx);
  }

  private async post(ctx: ConnectorContext, payload: Record<string, unknown>): Promise<void> {
    const res = await ctx.http.request({ method: 'POST', url: webhookUrl(PROVIDER, ctx), body: payload });
    if (res.status >= 200 && res.status < 300) return;
    throw this.failure(res, ctx);
  }

  /** "Slack: the channel is archived (channel_is_archived) (410)"; 429/5xx retryable with Retry-After. */
  private failure(res: OutboundResponse, ctx: ConnectorContext): ConnectorError {
    const text = res.text.trim();
    const code = /^[a-z_]+$/.test(text) ? text : undefined;
    const reason = code ? slackReason(code) : redactSecrets(textReason(res), ctx);
    const base = ConnectorError.fromStatus(PROVIDER, res.status, reason, retryAfterSeconds(res.headers));
    return new ConnectorError(base.message, {
      retryable: base.retryable,
      upstreamStatus: res.status,
      code,
      retryAfterSeconds: base.retryAfterSeconds,
    });
  }
}
