/**
 * TheCatAPI (api.thecatapi.com): GET /v1/images/search?limit=&breed_ids=&has_breeds=.
 * The `x-api-key` header is optional; without one at most 10 images come back (like the free
 * tier); a wrong key answers 401 with a plain-text body.
 */
import { FakeServer, startFake } from './fake-server';

export const THECATAPI_FAKE_KEY = 'live_cat_key_0123456789abcdef';

export async function startTheCatApiFake(key = THECATAPI_FAKE_KEY): Promise<FakeServer> {
  return startFake({
    'GET /v1/images/search': (req) => {
      const given = req.headers['x-api-key'] as string | undefined;
      if (given !== undefined && given !== key) {
        return { status: 401, body: "AUTHENTICATION_ERROR - you need to send your API Key as the 'x-api-key' header" };
      }
      const asked = Math.max(1, Math.min(Number(req.query.limit ?? 1) || 1, 100));
      const limit = given ? asked : Math.min(asked, 10);
      const breeds = req.query.breed_ids ? req.query.breed_ids.split(',') : [];
      return {
        body: Array.from({ length: limit }, (_, i) => ({
          id: `cat${i}`,
          url: `https://cdn2.thecatapi.com/images/cat${i}.jpg`,
          width: 800 + i,
          height: 600,
          ...(breeds.length || req.query.has_breeds === '1' ? { breeds: [{ id: breeds[0] ?? 'beng', name: 'Bengal' }] } : {}),
        })),
      };
    },
  });
}
