import { hostsOf } from '../../catalog/credential-hosts';
import { ConnectorActionDescriptor, Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'SWAPI';
export const SWAPI_DEFAULT_BASE_URL = 'https://swapi.dev';

/** Action key → SWAPI resource path. */
const RESOURCES: Record<string, { resource: string; what: string; example: string }> = {
  get_person: { resource: 'people', what: 'a person', example: '{ name, height, mass, hair_color, birth_year, homeworld, films, ... }' },
  get_planet: { resource: 'planets', what: 'a planet', example: '{ name, climate, terrain, population, residents, ... }' },
  get_film: { resource: 'films', what: 'a film', example: '{ title, episode_id, opening_crawl, director, release_date, ... }' },
  get_starship: { resource: 'starships', what: 'a starship', example: '{ name, model, manufacturer, starship_class, ... }' },
};

/** The Star Wars API: GET /api/{resource}/{id}/, no auth; unknown ids answer 404 `{ detail: "Not found" }`. */
export class SwapiConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'swapi',
    name: 'Star Wars API',
    description: 'People, planets, films and starships from SWAPI.',
    auth: ['none'],
    baseUrlSetting: 'SWAPI_BASE_URL',
    hosts: hostsOf(SWAPI_DEFAULT_BASE_URL),
    docsUrl: 'https://swapi.dev/documentation',
    actions: Object.entries(RESOURCES).map(([key, r]): ConnectorActionDescriptor => ({
      key,
      name: `Get ${r.resource === 'people' ? 'person' : r.resource.slice(0, -1)}`,
      description: `GET /api/${r.resource}/{id}/ — ${r.what} by id. Output body: ${r.example}.`,
      readOnly: true,
      sideEffects: false,
      input: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'integer', minimum: 1 } } },
    })),
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    const r = RESOURCES[action];
    if (!r || !Object.prototype.hasOwnProperty.call(RESOURCES, action)) throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const res = await send(
      PROVIDER,
      ctx,
      {
        method: 'GET',
        url: joinUrl(ctx.baseUrl || SWAPI_DEFAULT_BASE_URL, `/api/${r.resource}/${segment(params.id as number)}/`),
        headers: { accept: 'application/json' },
      },
      (res) => ({ message: field(res.body, 'detail') ?? textReason(res) }),
    );
    return { status: res.status, body: res.body };
  }
}
