/**
 * Slack incoming webhooks (hooks.slack.com): POST /services/{team}/{bot}/{token}, JSON
 * `{ text, blocks? }`. Success: 200 with the text body `ok`. Errors are short text bodies:
 * 400 invalid_payload, 403 invalid_token, 404 no_service, 410 channel_is_archived; 429 with
 * Retry-After (use SLACK_RATE_LIMITED with failNext).
 */
import { FakeReply, FakeServer, startFake } from './fake-server';

export const SLACK_HOOK_PATHS = {
  live: '/services/T0FLOWGATE/B0LIVE/liveToken0123456789abcdef',
  revoked: '/services/T0FLOWGATE/B0REVOKED/revokedToken0123456789ab',
  archived: '/services/T0FLOWGATE/B0ARCHIVED/archivedToken0123456789a',
  removed: '/services/T0FLOWGATE/B0GONE/goneToken0123456789abcdef',
} as const;

const text = (status: number, body: string): FakeReply => ({ status, body, headers: { 'content-type': 'text/html' } });

export const SLACK_RATE_LIMITED: FakeReply = {
  status: 429,
  body: 'rate_limited',
  headers: { 'content-type': 'text/html', 'retry-after': '30' },
};
export const SLACK_UNAVAILABLE: FakeReply = text(503, 'service_unavailable');

export interface SlackFake extends FakeServer {
  /** Payloads posted to the live webhook. */
  messages: Array<Record<string, unknown>>;
  webhookUrl(kind: keyof typeof SLACK_HOOK_PATHS): string;
}

export async function startSlackFake(): Promise<SlackFake> {
  const messages: Array<Record<string, unknown>> = [];
  const fake = await startFake({
    'POST /services/:team/:bot/:token': (req) => {
      switch (req.path) {
        case SLACK_HOOK_PATHS.revoked:
          return text(403, 'invalid_token');
        case SLACK_HOOK_PATHS.archived:
          return text(410, 'channel_is_archived');
        case SLACK_HOOK_PATHS.live:
          break;
        default:
          return text(404, 'no_service');
      }
      const body = req.body as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return text(400, 'invalid_payload');
      const hasText = typeof body.text === 'string' && body.text.trim() !== '';
      const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
      if (!hasText && !hasBlocks) return text(400, 'invalid_payload');
      if (body.blocks !== undefined && !Array.isArray(body.blocks)) return text(400, 'invalid_payload');
      messages.push(body);
      return text(200, 'ok');
    },
  });
  return Object.assign(fake, {
    messages,
    webhookUrl: (kind: keyof typeof SLACK_HOOK_PATHS) => `${fake.url}${SLACK_HOOK_PATHS[kind]}`,
  });
}
