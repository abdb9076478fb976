/**
 * Dog CEO (dog.ceo): GET /api/breeds/image/random, /api/breed/{breed}/images/random,
 * /api/breed/{breed}/{sub}/images/random → `{ message: <image url>, status: "success" }`.
 * Unknown breed → 404 `{ status: "error", message: "Breed not found (...)", code: 404 }`.
 */
import { FakeServer, startFake } from './fake-server';

const BREEDS: Record<string, string[]> = { hound: ['afghan', 'basset'], retriever: ['golden'], pug: [] };
const image = (breed: string, sub?: string) =>
  `https://images.dog.ceo/breeds/${breed}${sub ? `-${sub}` : ''}/n0200${breed.length}${sub?.length ?? 0}.jpg`;
const notFound = (what: string) => ({
  status: 404,
  body: { status: 'error', message: `Breed not found (${what} does not exist)`, code: 404 },
});

export async function startDogCeoFake(): Promise<FakeServer> {
  return startFake({
    'GET /api/breeds/image/random': () => ({ body: { message: image('hound', 'afghan'), status: 'success' } }),
    'GET /api/breed/:breed/images/random': (req) =>
      BREEDS[req.params.breed] ? { body: { message: image(req.params.breed), status: 'success' } } : notFound('main breed'),
    'GET /api/breed/:breed/:sub/images/random': (req) => {
      const subs = BREEDS[req.params.breed];
      if (!subs) return notFound('main breed');
      if (!subs.includes(req.params.sub)) return notFound('sub breed');
      return { body: { message: image(req.params.breed, req.params.sub), status: 'success' } };
    },
  });
}
