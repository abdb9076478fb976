/**
 * Twilio Programmable Messaging (api.twilio.com), as far as the `twilio` connector uses it:
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json  form: To, From | MessagingServiceSid, Body
 *   GET  /2010-04-01/Accounts/{AccountSid}.json
 * HTTP basic auth AccountSid:AuthToken. Errors `{ code, message, more_info, status }` with
 * Twilio's real codes: 20003 (auth), 20404 (not found), 21211 (invalid To), 21602 (no Body),
 * 21603 (no From), 21606 (From not owned), 20429 (rate limit; use TWILIO_RATE_LIMITED with failNext).
 */
import { randomBytes } from 'node:crypto';
import { basicAuth } from './auth-headers';
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

export const TWILIO_FAKE_ACCOUNT = { accountSid: `AC${'a1b2c3d4'.repeat(4)}`, authToken: 'tw-auth-token-0123456789abcdef' };
/** The one sender number this fake account owns. */
export const TWILIO_FAKE_FROM = '+15005550006';

function twilioError(status: number, code: number, message: string): FakeReply {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

export const TWILIO_RATE_LIMITED = twilioError(429, 20429, 'Too Many Requests');
export const TWILIO_SERVICE_UNAVAILABLE = twilioError(503, 20503, 'Service Unavailable');

export interface TwilioFake extends FakeServer {
  /** Messages accepted, as Twilio stored them. */
  messages: Record<string, unknown>[];
}

export async function startTwilioFake(account = TWILIO_FAKE_ACCOUNT): Promise<TwilioFake> {
  const messages: Record<string, unknown>[] = [];
  const authenticate = (req: FakeRequest): FakeReply | undefined => {
    const given = basicAuth(req);
    if (!given || given.username !== account.accountSid || given.password !== account.authToken)
      return twilioError(401, 20003, 'Authenticate');
    if (req.params.sid !== account.accountSid) {
      return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
    }
    return undefined;
  };

  const fake = await startFake({
    'POST /2010-04-01/Accounts/:sid/Messages.json': (req) => {
      const denied = authenticate(req);
      if (denied) return denied;
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return twilioError(400, 21602, 'Message body is required.');
      }
      const form = req.body as Record<string, string>;
      if (!form.To) return twilioError(400, 21604, "A 'To' phone number is required.");
      if (!/^\+[1-9]\d{1,14}$/.test(form.To) || form.To === '+15005550001')
        return twilioError(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
      if (!form.Body) return twilioError(400, 21602, 'Message body is required.');
      if (!form.From && !form.MessagingServiceSid) return twilioError(400, 21603, "The 'From' phone number is required.");
      if (form.From && form.From !== TWILIO_FAKE_FROM) {
        return twilioError(
          400,
          21606,
          `The From phone number ${form.From} is not a valid, SMS-capable inbound phone number or short code for your account.`,
        );
      }
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const now = new Date().toUTCString().replace('GMT', '+0000');
      const message = {
        account_sid: account.accountSid,
        api_version: '2010-04-01',
        body: form.Body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        num_media: '0',
        num_segments: String(Math.max(1, Math.ceil(form.Body.length / 160))),
        price: null,
        price_unit: 'USD',
        sid,
        status: form.MessagingServiceSid && !form.From ? 'accepted' : 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${account.accountSid}/Messages/${sid}/Media.json` },
        to: form.To,
        uri: `/2010-04-01/Accounts/${account.accountSid}/Messages/${sid}.json`,
      };
      messages.push(message);
      return { status: 201, body: message };
    },
    'GET /2010-04-01/Accounts/:sidjson': (req) => {
      req.params.sid = req.params.sidjson.replace(/\.json$/, '');
      const denied = authenticate(req);
      if (denied) return denied;
      return { body: { sid: account.accountSid, friendly_name: 'Flowgate test account', status: 'active', type: 'Full' } };
    },
  });
  return Object.assign(fake, { messages });
}
