import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'Bored API';
/** The original boredapi.com is gone; this is its maintained successor with the same shapes. */
export const BORED_DEFAULT_BASE_URL = 'https://bored-api.appbrewery.com';

const TYPES = ['education', 'recreational', 'social', 'charity', 'cooking', 'relaxation', 'busywork'];

/** Bored API: GET /random, /filter?type=, /activity/{key}; no auth; 404 `{ error }`; 429 with Retry-After. */
export class BoredConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'bored',
    name: 'Bored API',
    description: 'Random activity suggestions from the Bored API.',
    auth: ['none'],
    baseUrlSetting: 'BORED_BASE_URL',
    hosts: hostsOf(BORED_DEFAULT_BASE_URL),
    docsUrl: 'https://bored-api.appbrewery.com/',
    actions: [
      {
        key: 'random_activity',
        name: 'Random activity',
        description: 'GET /random. Output body: { activity, type, participants, price, accessibility, key, ... }.',
        readOnly: true,
        sideEffects: false,
        input: { type: 'object', additionalProperties: false, properties: {} },
      },
      {
        key: 'activities_by_type',
        name: 'Activities by type',
        description: 'GET /filter?type=&participants=. Output body: an array of activities.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          additionalProperties: false,
          properties: { type: { type: 'string', enum: TYPES }, participants: { type: 'integer', minimum: 1, maximum: 10 } },
          anyOf: [{ required: ['type'] }, { required: ['participants'] }],
        },
      },
      {
        key: 'get_activity',
        name: 'Activity by key',
        description: 'GET /activity/{key}. Output body: one activity.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          required: ['key'],
          additionalProperties: false,
          properties: { key: { type: 'string', pattern: '^[0-9]+$' } },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    let path: string;
    let query: Record<string, string | number | undefined> | undefined;
    switch (action) {
      case 'random_activity':
        path = '/random';
        break;
      case 'activities_by_type':
        path = '/filter';
        query = { type: params.type as string | undefined, participants: params.participants as number | undefined };
        break;
      case 'get_activity':
        path = `/activity/${segment(String(params.key))}`;
        break;
      default:
        throw invalidParams(PROVIDER, `unknown action "${action}"`);
    }
    const res = await send(
      PROVIDER,
      ctx,
      { method: 'GET', url: joinUrl(ctx.baseUrl || BORED_DEFAULT_BASE_URL, path), query, headers: { accept: 'application/json' } },
      (r) => ({ message: field(r.body, 'error') ?? textReason(r) }),
    );
    return { status: res.status, body: res.body };
  }
}
