/**
 * NewsAPI v2 (newsapi.org): GET /v2/top-headlines and /v2/everything, key in `X-Api-Key`
 * (or `apiKey` query). Errors `{ status: "error", code, message }` with the real codes:
 * apiKeyMissing / apiKeyInvalid (401), parametersMissing / parametersIncompatible (400),
 * rateLimited (429, once `dailyLimit` requests were made; NewsAPI sends no Retry-After).
 */
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

export const NEWSAPI_FAKE_KEY = 'newsapi-key-0123456789abcdef';

const newsError = (status: number, code: string, message: string): FakeReply => ({ status, body: { status: 'error', code, message } });

export const NEWSAPI_RATE_LIMITED = newsError(
  429,
  'rateLimited',
  'You have made too many requests recently. Developer accounts are limited to 100 requests over a 24 hour period (50 requests available every 12 hours). Please upgrade to a paid plan if you need more requests.',
);

const ARTICLES = [
  {
    country: 'us',
    category: 'technology',
    source: { id: 'the-verge', name: 'The Verge' },
    author: 'A. Writer',
    title: 'Chips get smaller again',
    description: 'A new process node.',
    url: 'https://example.com/chips',
    urlToImage: null,
    publishedAt: '2026-01-10T09:00:00Z',
    content: 'Chips…',
  },
  {
    country: 'us',
    category: 'science',
    source: { id: null, name: 'Space News' },
    author: null,
    title: 'Comet seen over Oslo',
    description: 'Bright comet.',
    url: 'https://example.com/comet',
    urlToImage: null,
    publishedAt: '2026-01-09T21:30:00Z',
    content: 'A comet…',
  },
  {
    country: 'gb',
    category: 'business',
    source: { id: 'bbc-news', name: 'BBC News' },
    author: 'B. Reporter',
    title: 'Markets calm',
    description: 'Quiet day.',
    url: 'https://example.com/markets',
    urlToImage: null,
    publishedAt: '2026-01-08T12:00:00Z',
    content: 'Markets…',
  },
];

export async function startNewsApiFake(options: { key?: string; dailyLimit?: number } = {}): Promise<FakeServer> {
  const key = options.key ?? NEWSAPI_FAKE_KEY;
  let used = 0;
  const guard = (req: FakeRequest): FakeReply | undefined => {
    const given = (req.headers['x-api-key'] as string | undefined) ?? req.query.apiKey;
    if (!given)
      return newsError(
        401,
        'apiKeyMissing',
        'Your API key is missing. Append this to the URL with the apiKey param, or use the x-api-key HTTP header.',
      );
    if (given !== key)
      return newsError(
        401,
        'apiKeyInvalid',
        'Your API key is invalid or incorrect. Check your key, or go to https://newsapi.org to create a free API key.',
      );
    if (options.dailyLimit !== undefined && ++used > options.dailyLimit) return NEWSAPI_RATE_LIMITED;
    return undefined;
  };
  const page = (req: FakeRequest, list: typeof ARTICLES): FakeReply => {
    const size = Math.min(Number(req.query.pageSize ?? 20), 100);
    const start = (Number(req.query.page ?? 1) - 1) * size;
    return {
      body: {
        status: 'ok',
        totalResults: list.length,
        articles: list.slice(start, start + size).map(({ country: _c, category: _k, ...a }) => a),
      },
    };
  };
  return startFake({
    'GET /v2/top-headlines': (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const { country, category, q, sources } = req.query;
      if (!country && !category && !q && !sources) {
        return newsError(
          400,
          'parametersMissing',
          'Required parameters are missing. Please set any of the following parameters and try again: sources, q, language, country, category.',
        );
      }
      if (sources && (country || category)) {
        return newsError(400, 'parametersIncompatible', "You can't mix the sources parameter with the country or category parameters.");
      }
      const list = ARTICLES.filter(
        (a) =>
          (!country || a.country === country) &&
          (!category || a.category === category) &&
          (!q || a.title.toLowerCase().includes(q.toLowerCase())) &&
          (!sources || sources.split(',').includes(String(a.source.id))),
      );
      return page(req, list);
    },
    'GET /v2/everything': (req) => {
      const denied = guard(req);
      if (denied) return denied;
      if (!req.query.q && !req.query.sources && !req.query.domains) {
        return newsError(
          400,
          'parametersMissing',
          'Required parameters are missing, the scope of your search is too broad. Please set any of the following required parameters and try again: q, qInTitle, sources, domains.',
        );
      }
      const q = (req.query.q ?? '').toLowerCase();
      return page(
        req,
        ARTICLES.filter((a) => !q || `${a.title} ${a.description}`.toLowerCase().includes(q)),
      );
    },
  });
}
