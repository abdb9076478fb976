import { ConnectorInvoker } from '../src/modules/connectors/connector-invoker';
import { ConnectorError } from '../src/modules/connectors/connector.types';
import { startBoredFake } from './fakes/bored.fake';
import { startDogCeoFake } from './fakes/dogceo.fake';
import { startFakeStoreFake } from './fakes/fakestore.fake';
import { FakeServer } from './fakes/fake-server';
import { NASA_FAKE_KEY, NASA_OVER_RATE_LIMIT, startNasaFake } from './fakes/nasa.fake';
import { NEWSAPI_FAKE_KEY, startNewsApiFake } from './fakes/newsapi.fake';
import { startNumbersFake } from './fakes/numbers.fake';
import { startPokeApiFake } from './fakes/pokeapi.fake';
import { startRestCountriesFake } from './fakes/restcountries.fake';
import { SALESFORCE_FAKE_TOKEN, SalesforceFake, startSalesforceFake } from './fakes/salesforce.fake';
import { startSwapiFake } from './fakes/swapi.fake';
import { startTheCatApiFake, THECATAPI_FAKE_KEY } from './fakes/thecatapi.fake';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { failure } from './support/connector-failure';

/**
 * The API-key and public-API connectors through the real app: each fake answers like its
 * service, `<KEY>_BASE_URL` points the connector at it, ConnectorInvoker makes the call.
 */
describe('connectors: newsapi, nasa, swapi, pokeapi, bored, numbers, restcountries, dogceo, thecatapi, fakestore', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let invoker: ConnectorInvoker;
  let fakes: Record<string, FakeServer>;
  let salesforceOverride: SalesforceFake;

  beforeAll(async () => {
    const [newsapi, nasa, swapi, pokeapi, bored, numbers, restcountries, dogceo, thecatapi, fakestore, sf] = await Promise.all([
      startNewsApiFake({ dailyLimit: 4 }),
      startNasaFake(),
      startSwapiFake({ throttleAfter: 3, retryAfterSeconds: 7 }),
      startPokeApiFake(),
      startBoredFake({ rateLimit: 3, retryAfterSeconds: 5 }),
      startNumbersFake(),
      startRestCountriesFake(),
      startDogCeoFake(),
      startTheCatApiFake(),
      startFakeStoreFake(),
      startSalesforceFake(),
    ]);
    fakes = { newsapi, nasa, swapi, pokeapi, bored, numbers, restcountries, dogceo, thecatapi, fakestore };
    salesforceOverride = sf;
    t = await startTestApp({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      OUTBOUND_TIMEOUT_MS: '5000',
      NEWSAPI_BASE_URL: newsapi.url,
      NASA_BASE_URL: nasa.url,
      SWAPI_BASE_URL: swapi.url,
      POKEAPI_BASE_URL: pokeapi.url,
      BORED_BASE_URL: bored.url,
      NUMBERS_BASE_URL: numbers.url,
      RESTCOUNTRIES_BASE_URL: restcountries.url,
      DOGCEO_BASE_URL: dogceo.url,
      THECATAPI_BASE_URL: thecatapi.url,
      FAKESTORE_BASE_URL: fakestore.url,
      SALESFORCE_BASE_URL: sf.url,
    });
    owner = await registerTenant(t.http);
    invoker = t.app.get(ConnectorInvoker);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([...Object.values(fakes), salesforceOverride].map((f) => f.close()));
  });

  async function credential(connectorKey: string, secrets: Record<string, string>, authKind = 'api_key'): Promise<string> {
    const res = await t.http.post(
      '/api/credentials',
      { name: `${connectorKey} ${Math.random()}`, connectorKey, authKind, secrets },
      { token: owner.token },
    );
    if (res.status !== 201) throw new Error(`credential: ${res.status} ${res.text}`);
    return res.body.id;
  }
  const invoke = (connectorKey: string, action: string, params: Record<string, unknown>, credentialId?: string) =>
    invoker.invoke({ tenantId: owner.tenantId, connectorKey, action, params, credentialId }) as Promise<any>;

  describe('newsapi', () => {
    it('gets top headlines with the key in X-Api-Key', async () => {
      const id = await credential('newsapi', { apiKey: NEWSAPI_FAKE_KEY });
      const out = await invoke('newsapi', 'top_headlines', { country: 'us', category: 'science' }, id);
      expect(out.status).toBe(200);
      expect(out.body).toMatchObject({
        status: 'ok',
        totalResults: 1,
        articles: [{ title: 'Comet seen over Oslo', source: { name: 'Space News' } }],
      });
      const req = fakes.newsapi.requests.at(-1)!;
      expect(req.path).toBe('/v2/top-headlines');
      expect(req.headers['x-api-key']).toBe(NEWSAPI_FAKE_KEY);
      expect(req.query.apiKey).toBeUndefined();
      const search = await invoke('newsapi', 'everything', { q: 'markets', sortBy: 'publishedAt' }, id);
      expect(search.body.articles.map((a: { title: string }) => a.title)).toEqual(['Markets calm']);
    });

    it('says "NewsAPI: apiKeyInvalid — ..." for a bad key and does not retry', async () => {
      const bad = await credential('newsapi', { apiKey: 'not-the-newsapi-key' });
      const e = await failure(invoke('newsapi', 'top_headlines', { country: 'us' }, bad));
      expect(e.message).toBe(
        'NewsAPI: apiKeyInvalid — Your API key is invalid or incorrect. Check your key, or go to https://newsapi.org to create a free API key. (401)',
      );
      expect(e).toMatchObject({ retryable: false, status: 401, code: 'apiKeyInvalid' });
    });

    it('rejects headline params NewsAPI would refuse, before calling it', async () => {
      const id = await credential('newsapi', { apiKey: NEWSAPI_FAKE_KEY });
      const before = fakes.newsapi.requests.length;
      expect((await failure(invoke('newsapi', 'top_headlines', {}, id))).code).toBe('INVALID_PARAMS');
      expect((await failure(invoke('newsapi', 'top_headlines', { sources: 'bbc-news', country: 'gb' }, id))).code).toBe('INVALID_PARAMS');
      expect(fakes.newsapi.requests.length).toBe(before);
    });

    it('retries once the daily limit answers rateLimited (429)', async () => {
      const id = await credential('newsapi', { apiKey: NEWSAPI_FAKE_KEY });
      let e: ConnectorError | undefined;
      for (let i = 0; i < 6 && !e; i++) {
        e = await invoke('newsapi', 'top_headlines', { country: 'gb' }, id).then(
          () => undefined,
          (err: ConnectorError) => err,
        );
      }
      expect(e).toMatchObject({ retryable: true, status: 429, code: 'rateLimited' });
      expect(e!.message).toMatch(/^NewsAPI: rateLimited — You have made too many requests recently/);
    });
  });

  describe('nasa', () => {
    it('returns the picture of the day, the key as api_key', async () => {
      const id = await credential('nasa', { apiKey: NASA_FAKE_KEY });
      const out = await invoke('nasa', 'apod', { date: '2024-02-29' }, id);
      expect(out).toMatchObject({ status: 200, body: { date: '2024-02-29', media_type: 'image', title: 'Nebula of 2024-02-29' } });
      expect(fakes.nasa.requests.at(-1)!.query.api_key).toBe(NASA_FAKE_KEY);
      const many = await invoke('nasa', 'apod', { count: 3 }, id);
      expect(many.body).toHaveLength(3);
    });

    it('maps gateway errors ({ error: { code, message } }) and APOD errors ({ code, msg })', async () => {
      const bad = await credential('nasa', { apiKey: 'wrong-nasa-key' });
      const e = await failure(invoke('nasa', 'apod', {}, bad));
      expect(e.message).toBe('NASA: API_KEY_INVALID — An invalid api_key was supplied. Get one at https://api.nasa.gov:443 (403)');
      expect(e.retryable).toBe(false);
      expect(e.message).not.toContain('wrong-nasa-key');
      expect((await t.http.post(`/api/credentials/${bad}/test`, undefined, { token: owner.token })).body).toMatchObject({ ok: false });

      const id = await credential('nasa', { apiKey: NASA_FAKE_KEY });
      const early = await failure(invoke('nasa', 'apod', { date: '1990-01-01' }, id));
      expect(early.message).toMatch(/^NASA: Date must be between Jun 16, 1995 and .+\. \(400\)$/);
      expect(early.retryable).toBe(false);

      fakes.nasa.failNext(NASA_OVER_RATE_LIMIT);
      const limited = await failure(invoke('nasa', 'apod', {}, id));
      expect(limited).toMatchObject({ retryable: true, status: 429, code: 'OVER_RATE_LIMIT' });
    });

    it('refuses count together with date at validation', async () => {
      const id = await credential('nasa', { apiKey: NASA_FAKE_KEY });
      expect((await failure(invoke('nasa', 'apod', { count: 2, date: '2024-01-01' }, id))).code).toBe('INVALID_PARAMS');
    });
  });

  describe('swapi', () => {
    it('gets a person by id (trailing-slash path, no auth)', async () => {
      const out = await invoke('swapi', 'get_person', { id: 1 });
      expect(out).toMatchObject({ status: 200, body: { name: 'Luke Skywalker', height: '172' } });
      expect(fakes.swapi.requests.at(-1)!.path).toBe('/api/people/1/');
      expect((await invoke('swapi', 'get_starship', { id: 9 })).body.name).toBe('Death Star');
    });

    it('says "SWAPI: Not found (404)" and does not retry', async () => {
      const e = await failure(invoke('swapi', 'get_planet', { id: 999 }));
      expect(e).toMatchObject({ message: 'SWAPI: Not found (404)', retryable: false, status: 404 });
    });

    it('retries when throttled, with the Retry-After it sent', async () => {
      let e: ConnectorError | undefined;
      for (let i = 0; i < 5 && !e; i++)
        e = await invoke('swapi', 'get_film', { id: 1 }).then(
          () => undefined,
          (err: ConnectorError) => err,
        );
      expect(e).toMatchObject({
        retryable: true,
        status: 429,
        retryAfterSeconds: 7,
        message: 'SWAPI: Request was throttled. Expected available in 7 seconds. (429)',
      });
    });
  });

  describe('pokeapi', () => {
    it('gets a pokémon by name, lower-casing it', async () => {
      const out = await invoke('pokeapi', 'get_pokemon', { pokemon: 'Pikachu' });
      expect(out.body).toMatchObject({ id: 25, name: 'pikachu', types: [{ type: { name: 'electric' } }] });
      expect(fakes.pokeapi.requests.at(-1)!.path).toBe('/api/v2/pokemon/pikachu');
      expect((await invoke('pokeapi', 'get_pokemon', { pokemon: 1 })).body.name).toBe('bulbasaur');
      expect((await invoke('pokeapi', 'get_type', { type: 'electric' })).body.id).toBe(13);
    });

    it('says which pokémon was not found (text 404), not retried; 5xx retried', async () => {
      const e = await failure(invoke('pokeapi', 'get_pokemon', { pokemon: 'missingno' }));
      expect(e).toMatchObject({ message: 'PokeAPI: pokemon "missingno" not found (404)', retryable: false });
      fakes.pokeapi.failNext({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } });
      const down = await failure(invoke('pokeapi', 'get_pokemon', { pokemon: 'pikachu' }));
      expect(down).toMatchObject({ retryable: true, status: 502, message: 'PokeAPI: HTTP 502 (HTML error page) (502)' });
    });

    it('refuses a name that could leave the path', async () => {
      expect((await failure(invoke('pokeapi', 'get_pokemon', { pokemon: '../berry/1' }))).code).toBe('INVALID_PARAMS');
    });
  });

  describe('bored', () => {
    it('gets a random activity, activities by type and one by key', async () => {
      expect((await invoke('bored', 'random_activity', {})).body).toMatchObject({
        activity: 'Learn Express.js',
        type: 'education',
        key: '3943506',
      });
      const cooking = await invoke('bored', 'activities_by_type', { type: 'cooking' });
      expect(cooking.body).toEqual([expect.objectContaining({ activity: 'Bake a pie with some friends' })]);
      expect(fakes.bored.requests.at(-1)!.query).toEqual({ type: 'cooking' });
      const none = await failure(invoke('bored', 'get_activity', { key: '1' }));
      expect(none).toMatchObject({ message: 'Bored API: No activity found with the specified parameters (404)', retryable: false });
    });

    it('retries a 429 with the Retry-After it sent', async () => {
      const e = await failure(invoke('bored', 'random_activity', {}));
      expect(e).toMatchObject({
        retryable: true,
        status: 429,
        retryAfterSeconds: 5,
        message: 'Bored API: Too many requests, please try again later. (429)',
      });
    });
  });

  describe('numbers', () => {
    it('gets trivia, math and date facts as JSON', async () => {
      const out = await invoke('numbers', 'fact', { number: 42 });
      expect(out.body).toEqual({
        text: '42 is the answer to the Ultimate Question of Life, the Universe, and Everything.',
        number: 42,
        found: true,
        type: 'trivia',
      });
      expect(fakes.numbers.requests.at(-1)!.path).toBe('/42/trivia');
      expect('json' in fakes.numbers.requests.at(-1)!.query).toBe(true);
      expect((await invoke('numbers', 'fact', { number: '7/20', type: 'date' })).body.text).toContain('Apollo 11');
      expect((await invoke('numbers', 'fact', { number: 'random', type: 'math' })).body.found).toBe(true);
    });

    it('maps the plain-text 404 and refuses a month/day for non-date types before calling', async () => {
      const e = await failure(invoke('numbers', 'fact', { number: '2/30', type: 'date' }));
      expect(e).toMatchObject({ message: 'Numbers API: Cannot GET /2/30/date (404)', retryable: false });
      expect((await failure(invoke('numbers', 'fact', { number: '13/40', type: 'date' }))).code).toBe('INVALID_PARAMS');
      const before = fakes.numbers.requests.length;
      expect((await failure(invoke('numbers', 'fact', { number: '2/29', type: 'trivia' }))).code).toBe('INVALID_PARAMS');
      expect(fakes.numbers.requests.length).toBe(before);
    });
  });

  describe('restcountries', () => {
    it('finds countries by partial or full name and by code', async () => {
      const partial = await invoke('restcountries', 'country_by_name', { name: 'guinea' });
      expect(partial.body).toHaveLength(4);
      const exact = await invoke('restcountries', 'country_by_name', { name: 'guinea', fullText: true, fields: 'name,capital' });
      expect(exact.body).toEqual([{ name: { common: 'Guinea', official: 'Republic of Guinea', nativeName: {} }, capital: ['Conakry'] }]);
      expect(fakes.restcountries.requests.at(-1)!.query).toEqual({ fullText: 'true', fields: 'name,capital' });
      expect((await invoke('restcountries', 'country_by_code', { code: 'jp' })).body[0].capital).toEqual(['Tokyo']);
    });

    it('says "REST Countries: Not Found (404)" and does not retry', async () => {
      const e = await failure(invoke('restcountries', 'country_by_name', { name: 'Atlantis' }));
      expect(e).toMatchObject({ message: 'REST Countries: Not Found (404)', retryable: false, status: 404 });
    });
  });

  describe('dogceo', () => {
    it('gets random images, by breed and sub-breed', async () => {
      expect((await invoke('dogceo', 'random_image', {})).body).toMatchObject({
        status: 'success',
        message: expect.stringMatching(/^https:\/\/images\.dog\.ceo\//),
      });
      expect((await invoke('dogceo', 'breed_random_image', { breed: 'hound', subBreed: 'basset' })).body.message).toContain('hound-basset');
      expect(fakes.dogceo.requests.at(-1)!.path).toBe('/api/breed/hound/basset/images/random');
    });

    it('maps an unknown breed to its message, not retried', async () => {
      const e = await failure(invoke('dogceo', 'breed_random_image', { breed: 'dragon' }));
      expect(e).toMatchObject({ message: 'Dog CEO: Breed not found (main breed does not exist) (404)', retryable: false });
    });
  });

  describe('thecatapi', () => {
    it('works without a key (capped at 10) and with one (x-api-key)', async () => {
      const anonymous = await invoke('thecatapi', 'search_images', { limit: 25 });
      expect(anonymous.body).toHaveLength(10);
      expect(fakes.thecatapi.requests.at(-1)!.headers['x-api-key']).toBeUndefined();
      const id = await credential('thecatapi', { apiKey: THECATAPI_FAKE_KEY });
      const keyed = await invoke('thecatapi', 'search_images', { limit: 25, breed_ids: 'beng' }, id);
      expect(keyed.body).toHaveLength(25);
      expect(keyed.body[0]).toMatchObject({ url: expect.any(String), width: expect.any(Number), breeds: [{ id: 'beng' }] });
      expect(fakes.thecatapi.requests.at(-1)!.headers['x-api-key']).toBe(THECATAPI_FAKE_KEY);
    });

    it('maps a bad key (text 401) without retrying', async () => {
      const bad = await credential('thecatapi', { apiKey: 'wrong-cat-key-000' });
      const e = await failure(invoke('thecatapi', 'search_images', {}, bad));
      expect(e).toMatchObject({ retryable: false, status: 401 });
      expect(e.message).toBe("TheCatAPI: AUTHENTICATION_ERROR - you need to send your API Key as the 'x-api-key' header (401)");
      const tested = await t.http.post(`/api/credentials/${bad}/test`, undefined, { token: owner.token });
      expect(tested.body).toMatchObject({ ok: false, detail: expect.stringContaining('AUTHENTICATION_ERROR') });
      const good = await credential('thecatapi', { apiKey: THECATAPI_FAKE_KEY });
      expect((await t.http.post(`/api/credentials/${good}/test`, undefined, { token: owner.token })).body).toEqual({
        ok: true,
        detail: 'API key accepted',
      });
    });
  });

  describe('fakestore', () => {
    it('lists, gets and creates products', async () => {
      const list = await invoke('fakestore', 'list_products', { limit: 2, sort: 'desc' });
      expect(list.body.map((p: { id: number }) => p.id)).toEqual([9, 2]);
      expect((await invoke('fakestore', 'list_products', { category: 'electronics' })).body).toHaveLength(1);
      expect((await invoke('fakestore', 'get_product', { id: 1 })).body).toMatchObject({
        id: 1,
        title: 'Fjallraven Backpack',
        rating: { rate: 3.9 },
      });
      const created = await invoke('fakestore', 'create_product', { title: 'Flowgate mug', price: 9.5, category: 'kitchen' });
      expect(created).toMatchObject({ status: 201, body: { id: expect.any(Number), title: 'Flowgate mug', price: 9.5 } });
      expect(fakes.fakestore.requests.at(-1)!.body).toEqual({ title: 'Flowgate mug', price: 9.5, category: 'kitchen' });
    });

    it("reports the real service's empty 200 for an unknown id as not found, not retried", async () => {
      const e = await failure(invoke('fakestore', 'get_product', { id: 999 }));
      expect(e).toMatchObject({ message: 'Fake Store: product 999 not found (404)', retryable: false, status: 404 });
      fakes.fakestore.failNext({ status: 503, body: 'Service Unavailable' });
      expect((await failure(invoke('fakestore', 'get_product', { id: 1 }))).retryable).toBe(true);
    });
  });

  it('SALESFORCE_BASE_URL, when set, wins over the credential instance URL', async () => {
    const id = await credential('salesforce', { accessToken: SALESFORCE_FAKE_TOKEN, instanceUrl: 'https://unreachable.invalid' }, 'bearer');
    const out = await invoke('salesforce', 'query', { soql: 'SELECT Id FROM Account' }, id);
    expect(out.body).toEqual({ totalSize: 0, done: true, records: [] });
    expect(salesforceOverride.requests.at(-1)!.path).toBe('/services/data/v61.0/query');
  });

  it('a connector that needs a key fails clearly without a credential', async () => {
    const e = await failure(invoke('newsapi', 'top_headlines', { country: 'us' }));
    expect(e).toMatchObject({ retryable: false, code: 'CREDENTIAL_REQUIRED' });
    expect(e.message).toContain('News API');
  });
});
