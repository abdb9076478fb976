/**
 * Slack incoming webhooks answer errors as short text bodies
 * (https://api.slack.com/messaging/webhooks#handling_errors); these say what they mean.
 */
export const SLACK_ERRORS: Record<string, string> = {
  invalid_payload: 'the message was rejected as malformed',
  no_text: 'the message has no text',
  too_many_attachments: 'the message has too many attachments',
  invalid_token: 'the webhook URL is no longer valid',
  action_prohibited: 'an admin has restricted posting through this webhook',
  posting_to_general_channel_denied: 'posting to #general is restricted',
  no_service: 'the webhook was disabled or removed',
  channel_not_found: 'the webhook’s channel no longer exists',
  channel_is_archived: 'the channel is archived',
  no_active_hooks: 'the webhook is inactive',
  rate_limited: 'rate limited by Slack',
};

export function slackReason(code: string): string {
  const known = SLACK_ERRORS[code];
  return known ? `${known} (${code})` : code;
}
