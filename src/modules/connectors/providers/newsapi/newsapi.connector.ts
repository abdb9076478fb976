import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor } from '../../contract';
import { field, invalidParams, joinUrl, requireSecret, send, textReason } from '../shared/provider-call';

const PROVIDER = 'NewsAPI';
export const NEWSAPI_DEFAULT_BASE_URL = 'https://newsapi.org';

const paging = {
  pageSize: { type: 'integer', minimum: 1, maximum: 100 },
  page: { type: 'integer', minimum: 1 },
};

/** NewsAPI v2: top headlines and article search. Key in the X-Api-Key header; errors `{ status: "error", code, message }`. */
export class NewsApiConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'newsapi',
    name: 'News API',
    description: 'Top headlines and article search from NewsAPI.org.',
    auth: ['api_key'],
    credentialSchema: {
      type: 'object',
      required: ['apiKey'],
      additionalProperties: false,
      properties: { apiKey: { type: 'string', minLength: 1 } },
    },
    baseUrlSetting: 'NEWSAPI_BASE_URL',
    hosts: hostsOf(NEWSAPI_DEFAULT_BASE_URL),
    docsUrl: 'https://newsapi.org/docs/endpoints',
    actions: [
      {
        key: 'top_headlines',
        name: 'Top headlines',
        description:
          'GET /v2/top-headlines. Give at least one of country, category, q, sources (sources cannot be mixed with country or category). Output body: { status, totalResults, articles }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            country: { type: 'string', pattern: '^[a-z]{2}$', description: 'ISO 3166-1 alpha-2, lower case, e.g. us' },
            category: { type: 'string', enum: ['business', 'entertainment', 'general', 'health', 'science', 'sports', 'technology'] },
            q: { type: 'string', minLength: 1 },
            sources: { type: 'string', minLength: 1, description: 'Comma-separated source ids' },
            ...paging,
          },
          anyOf: [{ required: ['country'] }, { required: ['category'] }, { required: ['q'] }, { required: ['sources'] }],
          not: { anyOf: [{ required: ['sources', 'country'] }, { required: ['sources', 'category'] }] },
        },
      },
      {
        key: 'everything',
        name: 'Search articles',
        description: 'GET /v2/everything. Output body: { status, totalResults, articles }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          required: ['q'],
          additionalProperties: false,
          properties: {
            q: { type: 'string', minLength: 1, maxLength: 500 },
            searchIn: { type: 'string', pattern: '^(title|description|content)(,(title|description|content))*$' },
            domains: { type: 'string' },
            from: { type: 'string', description: 'ISO 8601 date or date-time' },
            to: { type: 'string', description: 'ISO 8601 date or date-time' },
            language: { type: 'string', enum: ['ar', 'de', 'en', 'es', 'fr', 'he', 'it', 'nl', 'no', 'pt', 'ru', 'sv', 'ud', 'zh'] },
            sortBy: { type: 'string', enum: ['relevancy', 'popularity', 'publishedAt'] },
            ...paging,
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    const path = action === 'top_headlines' ? '/v2/top-headlines' : action === 'everything' ? '/v2/everything' : undefined;
    if (!path) throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const res = await this.get(ctx, path, params as Record<string, string | number>);
    return { status: res.status, body: res.body };
  }

  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    await this.get(ctx, '/v2/top-headlines', { country: 'us', pageSize: 1 });
    return { ok: true, detail: 'API key accepted' };
  }

  private get(ctx: ConnectorContext, path: string, query: Record<string, string | number>) {
    const apiKey = requireSecret(PROVIDER, ctx, 'apiKey');
    return send(
      PROVIDER,
      ctx,
      {
        method: 'GET',
        url: joinUrl(ctx.baseUrl || NEWSAPI_DEFAULT_BASE_URL, path),
        query,
        headers: { accept: 'application/json' },
        credential: { headers: { 'x-api-key': apiKey } },
      },
      (res) => ({ code: field(res.body, 'code'), message: field(res.body, 'message') ?? textReason(res) }),
    );
  }
}
