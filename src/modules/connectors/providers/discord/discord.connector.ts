import { Connector, ConnectorContext, ConnectorDescriptor, ConnectorError, OutboundResponse } from '../../contract';
import { hostOf } from '../../catalog/credential-hosts';
import { field, invalidParams, redactSecrets, retryAfterSeconds, textReason } from '../shared/provider-call';
import { WEBHOOK_URL_CREDENTIAL_SCHEMA, webhookUrl } from '../shared/webhook-url';

const PROVIDER = 'Discord';

/**
 * Discord webhooks: POST `{ content, username?, embeds? }` to the secret webhook URL.
 * 204 No Content, or 200 with the created message when `wait` is true. Errors are
 * `{ code, message }`; 429 adds `retry_after` (seconds) and `global`.
 */
export class DiscordConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'discord',
    name: 'Discord',
    description: 'Posts messages to a Discord channel through a channel webhook.',
    auth: ['webhook_url'],
    credentialSchema: WEBHOOK_URL_CREDENTIAL_SCHEMA,
    hosts: ['discord.com', '*.discord.com', 'discordapp.com'],
    credentialHosts: (s) => [hostOf(s.webhookUrl)],
    docsUrl: 'https://discord.com/developers/docs/resources/webhook#execute-webhook',
    actions: [
      {
        key: 'send_message',
        name: 'Send message',
        description:
          'Executes the webhook. Output: { delivered: true } or, with wait, { delivered: true, message: { id, channel_id, content, timestamp } }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: {
          delivered: true,
          message: {
            id: '1256010345679282176',
            channel_id: '1101239914418876501',
            content: 'Order #42 shipped',
            timestamp: '2026-01-15T09:30:00.000000+00:00',
          },
        },
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            content: { type: 'string', minLength: 1, maxLength: 2000 },
            username: { type: 'string', minLength: 1, maxLength: 80 },
            avatar_url: { type: 'string', format: 'uri' },
            tts: { type: 'boolean' },
            embeds: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'object' } },
            wait: { type: 'boolean', description: 'Wait for Discord to store the message and return it' },
          },
          anyOf: [{ required: ['content'] }, { required: ['embeds'] }],
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'send_message') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const { wait, ...payload } = params;
    const res = await ctx.http.request({
      method: 'POST',
      url: webhookUrl(PROVIDER, ctx),
      query: wait ? { wait: 'true' } : undefined,
      body: payload,
    });
    if (res.status === 204) return { delivered: true };
    if (res.status >= 200 && res.status < 300) return { delivered: true, message: messageSummary(res.body) };
    throw this.failure(res, ctx);
  }

  /** GET on a webhook URL returns the webhook (name, channel) without posting anything. */
  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    const res = await ctx.http.request({ method: 'GET', url: webhookUrl(PROVIDER, ctx) });
    if (res.status !== 200) throw this.failure(res, ctx);
    const name = field(res.body, 'name');
    return { ok: true, detail: name ? `Webhook "${name}" is live` : 'Webhook is live' };
  }

  private failure(res: OutboundResponse, ctx: ConnectorContext): ConnectorError {
    const code = field(res.body, 'code');
    const message = redactSecrets(field(res.body, 'message') ?? textReason(res), ctx).slice(0, 300);
    const reason = code ? `${message} (code ${code})` : message;
    const retryAfterBody = Number((res.body as { retry_after?: unknown } | undefined)?.retry_after);
    const retryAfter = Number.isFinite(retryAfterBody) && retryAfterBody > 0 ? Math.ceil(retryAfterBody) : retryAfterSeconds(res.headers);
    const base = ConnectorError.fromStatus(PROVIDER, res.status, reason, retryAfter);
    const global = (res.body as { global?: unknown } | undefined)?.global === true;
    return new ConnectorError(base.message, {
      retryable: base.retryable,
      upstreamStatus: res.status,
      code,
      retryAfterSeconds: base.retryAfterSeconds,
      details: res.status === 429 ? { global } : undefined,
    });
  }
}

/** The created message without the webhook's token or author internals. */
function messageSummary(body: unknown): Record<string, unknown> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return { id: b.id, channel_id: b.channel_id, content: b.content, timestamp: b.timestamp };
}
