import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { invalidParams, joinUrl, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'PokeAPI';
export const POKEAPI_DEFAULT_BASE_URL = 'https://pokeapi.co';

const nameOrId = {
  oneOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: '^[A-Za-z0-9-]+$' },
  ],
};

/** PokeAPI v2: GET /api/v2/pokemon/{name or id}, no auth; unknown names answer 404 with the text `Not Found`. */
export class PokeApiConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'pokeapi',
    name: 'PokeAPI',
    description: 'Pokémon data from PokeAPI.',
    auth: ['none'],
    baseUrlSetting: 'POKEAPI_BASE_URL',
    hosts: hostsOf(POKEAPI_DEFAULT_BASE_URL),
    docsUrl: 'https://pokeapi.co/docs/v2',
    actions: [
      {
        key: 'get_pokemon',
        name: 'Get Pokémon',
        description:
          'GET /api/v2/pokemon/{name or id}. Output body: { id, name, height, weight, types: [{ slot, type: { name } }], abilities, sprites, ... }.',
        readOnly: true,
        sideEffects: false,
        input: { type: 'object', required: ['pokemon'], additionalProperties: false, properties: { pokemon: nameOrId } },
      },
      {
        key: 'get_type',
        name: 'Get type',
        description: 'GET /api/v2/type/{name or id}. Output body: { id, name, damage_relations, pokemon, ... }.',
        readOnly: true,
        sideEffects: false,
        input: { type: 'object', required: ['type'], additionalProperties: false, properties: { type: nameOrId } },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    const [resource, value] =
      action === 'get_pokemon' ? ['pokemon', params.pokemon] : action === 'get_type' ? ['type', params.type] : [undefined, undefined];
    if (!resource) throw invalidParams(PROVIDER, `unknown action "${action}"`);
    // PokeAPI names are lower case; "Pikachu" is a 404 there.
    const key = typeof value === 'string' ? value.toLowerCase() : (value as number);
    const res = await send(
      PROVIDER,
      ctx,
      {
        method: 'GET',
        url: joinUrl(ctx.baseUrl || POKEAPI_DEFAULT_BASE_URL, `/api/v2/${resource}/${segment(key)}`),
        headers: { accept: 'application/json' },
      },
      (r) => ({ message: r.status === 404 ? `${resource} "${key}" not found` : textReason(r) }),
    );
    return { status: res.status, body: res.body };
  }
}
