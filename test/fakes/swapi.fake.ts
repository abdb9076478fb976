/**
 * SWAPI (swapi.dev): GET /api/{people|planets|films|starships}/{id}/. Unknown ids 404
 * `{ detail: "Not found" }`; a path without the trailing slash 301s to it (Django); past
 * `throttleAfter` requests 429 `{ detail: "Request was throttled. Expected available in N seconds." }`
 * with Retry-After, as Django REST Framework's throttling answers.
 */
import { FakeServer, startFake } from './fake-server';

const DATA: Record<string, Record<string, Record<string, unknown>>> = {
  people: {
    '1': {
      name: 'Luke Skywalker',
      height: '172',
      mass: '77',
      hair_color: 'blond',
      birth_year: '19BBY',
      gender: 'male',
      homeworld: 'https://swapi.dev/api/planets/1/',
    },
    '4': {
      name: 'Darth Vader',
      height: '202',
      mass: '136',
      hair_color: 'none',
      birth_year: '41.9BBY',
      gender: 'male',
      homeworld: 'https://swapi.dev/api/planets/1/',
    },
  },
  planets: { '1': { name: 'Tatooine', climate: 'arid', terrain: 'desert', population: '200000', diameter: '10465' } },
  films: {
    '1': {
      title: 'A New Hope',
      episode_id: 4,
      director: 'George Lucas',
      release_date: '1977-05-25',
      opening_crawl: 'It is a period of civil war…',
    },
  },
  starships: {
    '9': {
      name: 'Death Star',
      model: 'DS-1 Orbital Battle Station',
      manufacturer: 'Imperial Department of Military Research',
      starship_class: 'Deep Space Mobile Battlestation',
    },
  },
};

export async function startSwapiFake(options: { throttleAfter?: number; retryAfterSeconds?: number } = {}): Promise<FakeServer> {
  let served = 0;
  return startFake({
    'GET /api/:resource/:id': (req) => ({ status: 301, headers: { location: `${req.path}/` } }),
    'GET /api/:resource/:id/': (req) => {
      if (options.throttleAfter !== undefined && ++served > options.throttleAfter) {
        const wait = options.retryAfterSeconds ?? 3;
        return {
          status: 429,
          headers: { 'retry-after': String(wait) },
          body: { detail: `Request was throttled. Expected available in ${wait} seconds.` },
        };
      }
      const item = DATA[req.params.resource]?.[req.params.id];
      if (!item) return { status: 404, body: { detail: 'Not found' } };
      return {
        body: {
          ...item,
          url: `https://swapi.dev/api/${req.params.resource}/${req.params.id}/`,
          created: '2014-12-09T13:50:51.644000Z',
          edited: '2014-12-20T21:17:56.891000Z',
        },
      };
    },
  });
}
