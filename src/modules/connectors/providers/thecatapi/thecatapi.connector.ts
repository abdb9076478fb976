import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, send, textReason } from '../shared/provider-call';

const PROVIDER = 'TheCatAPI';
export const THECATAPI_DEFAULT_BASE_URL = 'https://api.thecatapi.com';

/**
 * TheCatAPI: GET /v1/images/search. The `x-api-key` header is optional (a key lifts the
 * anonymous limits and unlocks breed filters); a bad key answers 401 with a text body.
 */
export class TheCatApiConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'thecatapi',
    name: 'The Cat API',
    description: 'Random cat pictures from TheCatAPI.',
    auth: ['none', 'api_key'],
    credentialSchema: {
      type: 'object',
      required: ['apiKey'],
      additionalProperties: false,
      properties: { apiKey: { type: 'string', minLength: 1 } },
    },
    baseUrlSetting: 'THECATAPI_BASE_URL',
    hosts: hostsOf(THECATAPI_DEFAULT_BASE_URL),
    docsUrl: 'https://developers.thecatapi.com/',
    actions: [
      {
        key: 'search_images',
        name: 'Search images',
        description: 'GET /v1/images/search. Output body: an array of { id, url, width, height, breeds? }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 1,
              description: 'Without an API key the service returns at most 10',
            },
            breed_ids: { type: 'string', pattern: '^[a-z]{4}(,[a-z]{4})*$', description: 'Comma-separated breed ids, e.g. beng,abys' },
            mime_types: { type: 'string', pattern: '^(jpg|png|gif)(,(jpg|png|gif))*$' },
            has_breeds: { type: 'boolean' },
            order: { type: 'string', enum: ['RANDOM', 'ASC', 'DESC'] },
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'search_images') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const res = await this.search(ctx, params);
    return { status: res.status, body: res.body };
  }

  /** A key is optional, but a wrong one is refused: one image with the key proves it. */
  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    await this.search(ctx, { limit: 1 });
    return { ok: true, detail: 'API key accepted' };
  }

  private search(ctx: ConnectorContext, params: Record<string, unknown>) {
    const query: Record<string, string | number | undefined> = {
      limit: (params.limit as number | undefined) ?? 1,
      breed_ids: params.breed_ids as string | undefined,
      mime_types: params.mime_types as string | undefined,
      has_breeds: params.has_breeds === undefined ? undefined : params.has_breeds ? 1 : 0,
      order: params.order as string | undefined,
    };
    const apiKey = ctx.credential?.secrets.apiKey;
    return send(
      PROVIDER,
      ctx,
      {
        method: 'GET',
        url: joinUrl(ctx.baseUrl || THECATAPI_DEFAULT_BASE_URL, '/v1/images/search'),
        query,
        headers: { accept: 'application/json' },
        credential: apiKey ? { headers: { 'x-api-key': apiKey } } : undefined,
      },
      (r) => ({ message: field(r.body, 'message') ?? textReason(r) }),
    );
  }
}
