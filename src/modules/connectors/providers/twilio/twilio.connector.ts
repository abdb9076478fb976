import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, requireSecret, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'Twilio';
export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

/**
 * Twilio Programmable Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
 * form-encoded, HTTP basic auth AccountSid:AuthToken. Errors: `{ code, message, more_info, status }`.
 */
export class TwilioConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'twilio',
    name: 'Twilio',
    description: 'Send SMS messages through Twilio Programmable Messaging.',
    auth: ['basic'],
    credentialSchema: {
      type: 'object',
      required: ['accountSid', 'authToken'],
      additionalProperties: false,
      properties: {
        accountSid: { type: 'string', pattern: '^AC[0-9a-fA-F]{32}$', description: 'Account SID (AC...), the basic-auth username' },
        authToken: { type: 'string', minLength: 1, description: 'Auth token, the basic-auth password' },
      },
    },
    baseUrlSetting: 'TWILIO_BASE_URL',
    hosts: hostsOf(TWILIO_DEFAULT_BASE_URL),
    docsUrl: 'https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource',
    actions: [
      {
        key: 'send_sms',
        name: 'Send SMS',
        description: 'Sends a text message. Needs `from` (a Twilio number or alphanumeric sender id) or `messagingServiceSid`.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: {
          status: 201,
          body: {
            sid: 'SM3f0a5b6c7d8e9f00112233445566778',
            account_sid: 'AC00000000000000000000000000000000',
            to: '+14155550100',
            from: '+15005550006',
            body: 'Order #42 shipped',
            status: 'queued',
            num_segments: '1',
            direction: 'outbound-api',
            date_created: 'Thu, 15 Jan 2026 09:30:00 +0000',
            price: null,
            error_code: null,
            error_message: null,
            uri: '/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/SM3f0a5b6c7d8e9f00112233445566778.json',
          },
        },
        input: {
          type: 'object',
          required: ['to', 'body'],
          additionalProperties: false,
          properties: {
            to: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$', description: 'Recipient in E.164 format, e.g. +14155550100' },
            from: {
              type: 'string',
              pattern: '^(\\+[1-9][0-9]{1,14}|[A-Za-z0-9 ]{1,11})$',
              description: 'Sender: E.164 number or alphanumeric sender id',
            },
            messagingServiceSid: { type: 'string', pattern: '^MG[0-9a-fA-F]{32}$' },
            body: { type: 'string', minLength: 1, maxLength: 1600 },
            statusCallback: { type: 'string', format: 'uri' },
          },
          anyOf: [{ required: ['from'] }, { required: ['messagingServiceSid'] }],
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'send_sms') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const form = new URLSearchParams();
    form.set('To', String(params.to));
    if (params.from !== undefined) form.set('From', String(params.from));
    if (params.messagingServiceSid !== undefined) form.set('MessagingServiceSid', String(params.messagingServiceSid));
    form.set('Body', String(params.body));
    if (params.statusCallback !== undefined) form.set('StatusCallback', String(params.statusCallback));
    const res = await this.call(ctx, 'POST', '/Messages.json', form.toString());
    return { status: res.status, body: res.body };
  }

  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    const res = await this.call(ctx, 'GET', '.json');
    return { ok: true, detail: `account ${field(res.body, 'friendly_name') ?? field(res.body, 'sid') ?? ''}`.trim() };
  }

  private call(ctx: ConnectorContext, method: 'GET' | 'POST', suffix: string, form?: string) {
    const sid = requireSecret(PROVIDER, ctx, 'accountSid');
    const token = requireSecret(PROVIDER, ctx, 'authToken');
    return send(
      PROVIDER,
      ctx,
      {
        method,
        url: joinUrl(ctx.baseUrl || TWILIO_DEFAULT_BASE_URL, `/2010-04-01/Accounts/${segment(sid)}${suffix}`),
        headers: { accept: 'application/json', ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        credential: { headers: { authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}` } },
        body: form,
      },
      (res) => ({
        code: field(res.body, 'code'),
        message: field(res.body, 'message') ?? textReason(res),
        details: { moreInfo: field(res.body, 'more_info') },
      }),
    );
  }
}
