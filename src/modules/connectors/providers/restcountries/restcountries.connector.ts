import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'REST Countries';
export const RESTCOUNTRIES_DEFAULT_BASE_URL = 'https://restcountries.com';

const fieldsParam = {
  type: 'string',
  pattern: '^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$',
  description: 'Comma-separated fields to return, e.g. name,capital,population',
};

/** REST Countries v3.1: GET /v3.1/name/{name} and /v3.1/alpha/{code}; no auth; 404 `{ status: 404, message: "Not Found" }`. */
export class RestCountriesConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'restcountries',
    name: 'REST Countries',
    description: 'Country facts (names, capitals, region, population, currencies) from REST Countries.',
    auth: ['none'],
    baseUrlSetting: 'RESTCOUNTRIES_BASE_URL',
    hosts: hostsOf(RESTCOUNTRIES_DEFAULT_BASE_URL),
    docsUrl: 'https://restcountries.com/',
    actions: [
      {
        key: 'country_by_name',
        name: 'Country by name',
        description:
          'GET /v3.1/name/{name}. Output body: an array of { name: { common, official }, capital: [], region, population, ... }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            fullText: { type: 'boolean', description: 'Match the full name exactly' },
            fields: fieldsParam,
          },
        },
      },
      {
        key: 'country_by_code',
        name: 'Country by code',
        description: 'GET /v3.1/alpha/{code} (cca2, cca3, ccn3 or cioc). Output body: an array with the country.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          required: ['code'],
          additionalProperties: false,
          properties: { code: { type: 'string', pattern: '^[A-Za-z0-9]{2,3}$' }, fields: fieldsParam },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    let path: string;
    const query: Record<string, string | undefined> = { fields: params.fields as string | undefined };
    if (action === 'country_by_name') {
      path = `/v3.1/name/${segment(String(params.name))}`;
      if (params.fullText === true) query.fullText = 'true';
    } else if (action === 'country_by_code') {
      path = `/v3.1/alpha/${segment(String(params.code))}`;
    } else {
      throw invalidParams(PROVIDER, `unknown action "${action}"`);
    }
    const res = await send(
      PROVIDER,
      ctx,
      { method: 'GET', url: joinUrl(ctx.baseUrl || RESTCOUNTRIES_DEFAULT_BASE_URL, path), query, headers: { accept: 'application/json' } },
      (r) => ({ message: field(r.body, 'message') ?? textReason(r) }),
    );
    return { status: res.status, body: res.body };
  }
}
