import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'Dog CEO';
export const DOGCEO_DEFAULT_BASE_URL = 'https://dog.ceo';

const breedName = { type: 'string', pattern: '^[a-z]+$', description: 'Lower-case breed name, e.g. hound' };

/** Dog CEO: random dog images; no auth; `{ message: <url>, status: "success" }`; 404 `{ status: "error", message, code: 404 }`. */
export class DogCeoConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'dogceo',
    name: 'Dog CEO',
    description: 'Random dog pictures, optionally of one breed, from dog.ceo.',
    auth: ['none'],
    baseUrlSetting: 'DOGCEO_BASE_URL',
    hosts: hostsOf(DOGCEO_DEFAULT_BASE_URL),
    docsUrl: 'https://dog.ceo/dog-api/documentation/',
    actions: [
      {
        key: 'random_image',
        name: 'Random dog image',
        description: 'GET /api/breeds/image/random. Output body: { message: <image URL>, status }.',
        readOnly: true,
        sideEffects: false,
        input: { type: 'object', additionalProperties: false, properties: {} },
      },
      {
        key: 'breed_random_image',
        name: 'Random image of a breed',
        description: 'GET /api/breed/{breed}[/{subBreed}]/images/random. Output body: { message: <image URL>, status }.',
        readOnly: true,
        sideEffects: false,
        input: { type: 'object', required: ['breed'], additionalProperties: false, properties: { breed: breedName, subBreed: breedName } },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    let path: string;
    if (action === 'random_image') path = '/api/breeds/image/random';
    else if (action === 'breed_random_image') {
      const sub = params.subBreed ? `/${segment(String(params.subBreed))}` : '';
      path = `/api/breed/${segment(String(params.breed))}${sub}/images/random`;
    } else throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const res = await send(
      PROVIDER,
      ctx,
      { method: 'GET', url: joinUrl(ctx.baseUrl || DOGCEO_DEFAULT_BASE_URL, path), headers: { accept: 'application/json' } },
      (r) => ({ message: field(r.body, 'message') ?? textReason(r) }),
    );
    return { status: res.status, body: res.body };
  }
}
