/**
 * Discord channel webhooks (discord.com/api/webhooks/{id}/{token}):
 *   POST  JSON `{ content, username?, avatar_url?, embeds? }` → 204, or 200 with the message when `?wait=true`
 *   GET   → 200 the webhook object (name, channel_id, ...)
 * Errors `{ message, code }`: 400 50006 empty message, 400 50035 invalid form body,
 * 401 50027 invalid token, 404 10015 unknown webhook; 429 `{ message, retry_after, global }`
 * (use DISCORD_RATE_LIMITED with failNext).
 */
import { FakeReply, FakeServer, startFake } from './fake-server';

export const DISCORD_WEBHOOK = {
  id: '1180000000000000001',
  token: 'dWebhookToken-0123456789abcdefghijklmnopqrstuvwxyz',
  name: 'Flowgate alerts',
  channelId: '1180000000000000099',
};

export const DISCORD_RATE_LIMITED: FakeReply = {
  status: 429,
  headers: { 'retry-after': '3', 'x-ratelimit-global': 'false', 'x-ratelimit-scope': 'shared' },
  body: { message: 'You are being rate limited.', retry_after: 2.5, global: false },
};
export const DISCORD_UNAVAILABLE: FakeReply = { status: 502, body: { message: '502: Bad Gateway', code: 0 } };

export interface DiscordFake extends FakeServer {
  messages: Array<Record<string, unknown>>;
  /** The live webhook's URL, or one with a wrong token / unknown id. */
  webhookUrl(kind?: 'live' | 'bad-token' | 'unknown'): string;
}

const error = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): FakeReply => ({
  status,
  body: { message, code, ...extra },
});

export async function startDiscordFake(): Promise<DiscordFake> {
  const messages: Array<Record<string, unknown>> = [];
  let nextId = 1190000000000000000n;
  const check = (id: string, token: string): FakeReply | undefined => {
    if (id !== DISCORD_WEBHOOK.id) return error(404, 10015, 'Unknown Webhook');
    if (token !== DISCORD_WEBHOOK.token) return error(401, 50027, 'Invalid Webhook Token');
    return undefined;
  };
  const fake = await startFake({
    'GET /api/webhooks/:id/:token': (req) =>
      check(req.params.id, req.params.token) ?? {
        body: {
          type: 1,
          id: DISCORD_WEBHOOK.id,
          name: DISCORD_WEBHOOK.name,
          avatar: null,
          channel_id: DISCORD_WEBHOOK.channelId,
          guild_id: '1180000000000000050',
          application_id: null,
          token: DISCORD_WEBHOOK.token,
        },
      },
    'POST /api/webhooks/:id/:token': (req) => {
      const denied = check(req.params.id, req.params.token);
      if (denied) return denied;
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const content = typeof body.content === 'string' ? body.content : '';
      const embeds = Array.isArray(body.embeds) ? body.embeds : [];
      if (!content.trim() && !embeds.length) return error(400, 50006, 'Cannot send an empty message');
      if (content.length > 2000) {
        return error(400, 50035, 'Invalid Form Body', {
          errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
        });
      }
      messages.push(body);
      if (req.query.wait !== 'true') return { status: 204 };
      nextId += 1n;
      return {
        body: {
          id: String(nextId),
          type: 0,
          content,
          channel_id: DISCORD_WEBHOOK.channelId,
          author: { bot: true, id: DISCORD_WEBHOOK.id, username: body.username ?? DISCORD_WEBHOOK.name },
          embeds,
          timestamp: new Date().toISOString(),
          webhook_id: DISCORD_WEBHOOK.id,
        },
      };
    },
  });
  return Object.assign(fake, {
    messages,
    webhookUrl: (kind: 'live' | 'bad-token' | 'unknown' = 'live') => {
      const id = kind === 'unknown' ? '1180000000000000404' : DISCORD_WEBHOOK.id;
      const token = kind === 'bad-token' ? 'not-the-token-0123456789' : DISCORD_WEBHOOK.token;
      return `${fake.url}/api/webhooks/${id}/${token}`;
    },
  });
}
