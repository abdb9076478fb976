import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, requireSecret, send, textReason } from '../shared/provider-call';

const PROVIDER = 'NASA';
export const NASA_DEFAULT_BASE_URL = 'https://api.nasa.gov';

const date = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD' };

/**
 * NASA APOD (Astronomy Picture of the Day): GET /planetary/apod?api_key=. The api.nasa.gov
 * gateway answers key and rate-limit problems as `{ error: { code, message } }`; the APOD
 * service itself answers bad dates as `{ code, msg }`. (NASA's public `DEMO_KEY` works as a key.)
 */
export class NasaConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'nasa',
    name: 'NASA',
    description: 'Astronomy Picture of the Day from api.nasa.gov.',
    auth: ['api_key'],
    credentialSchema: {
      type: 'object',
      required: ['apiKey'],
      additionalProperties: false,
      properties: { apiKey: { type: 'string', minLength: 1, description: 'api.nasa.gov key (DEMO_KEY for light use)' } },
    },
    baseUrlSetting: 'NASA_BASE_URL',
    hosts: hostsOf(NASA_DEFAULT_BASE_URL),
    docsUrl: 'https://api.nasa.gov/',
    actions: [
      {
        key: 'apod',
        name: 'Astronomy Picture of the Day',
        description:
          'GET /planetary/apod. No params: today. `date`: that day. `start_date`/`end_date` or `count`: an array of entries. Output body: { title, explanation, url, hdurl?, date, media_type, ... }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            date,
            start_date: date,
            end_date: date,
            count: { type: 'integer', minimum: 1, maximum: 100 },
            thumbs: { type: 'boolean' },
          },
          not: { anyOf: [{ required: ['count', 'date'] }, { required: ['count', 'start_date'] }, { required: ['date', 'start_date'] }] },
          dependentRequired: { end_date: ['start_date'] },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'apod') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const res = await this.apod(ctx, params as Record<string, string | number | boolean>);
    return { status: res.status, body: res.body };
  }

  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    await this.apod(ctx, {});
    return { ok: true, detail: 'API key accepted' };
  }

  private apod(ctx: ConnectorContext, params: Record<string, string | number | boolean>) {
    const apiKey = requireSecret(PROVIDER, ctx, 'apiKey');
    return send(
      PROVIDER,
      ctx,
      {
        method: 'GET',
        url: joinUrl(ctx.baseUrl || NASA_DEFAULT_BASE_URL, '/planetary/apod'),
        query: params,
        headers: { accept: 'application/json' },
        credential: { query: { api_key: apiKey } },
      },
      (res) => ({
        code: field(res.body, 'error', 'code'),
        message: field(res.body, 'error', 'message') ?? field(res.body, 'msg') ?? textReason(res),
      }),
    );
  }
}
