/**
 * Bored API (bored-api.appbrewery.com, the successor of boredapi.com): GET /random,
 * /filter?type=&participants=, /activity/{key}. Nothing matching → 404
 * `{ error: "No activity found with the specified parameters" }`. Its express-rate-limit answers
 * 429 `Too many requests, please try again later.` with Retry-After once `rateLimit` requests
 * were made in the window.
 */
import { FakeServer, startFake } from './fake-server';

const ACTIVITIES = [
  {
    activity: 'Learn Express.js',
    availability: 0.25,
    type: 'education',
    participants: 1,
    price: 0.1,
    accessibility: 'Few to no challenges',
    duration: 'hours',
    kidFriendly: true,
    link: 'https://expressjs.com/',
    key: '3943506',
  },
  {
    activity: 'Bake a pie with some friends',
    availability: 0.5,
    type: 'cooking',
    participants: 3,
    price: 0.3,
    accessibility: 'Minor challenges',
    duration: 'hours',
    kidFriendly: true,
    link: '',
    key: '7154873',
  },
  {
    activity: 'Volunteer at a food bank',
    availability: 0.6,
    type: 'charity',
    participants: 1,
    price: 0,
    accessibility: 'Few to no challenges',
    duration: 'hours',
    kidFriendly: false,
    link: '',
    key: '1878070',
  },
];
const NONE = { status: 404, body: { error: 'No activity found with the specified parameters' } };

export async function startBoredFake(options: { rateLimit?: number; retryAfterSeconds?: number } = {}): Promise<FakeServer> {
  let used = 0;
  const limited = () => {
    if (options.rateLimit === undefined || ++used <= options.rateLimit) return undefined;
    const wait = options.retryAfterSeconds ?? 2;
    return {
      status: 429,
      headers: {
        'retry-after': String(wait),
        'ratelimit-limit': String(options.rateLimit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(wait),
      },
      body: 'Too many requests, please try again later.',
    };
  };
  return startFake({
    'GET /random': () => limited() ?? { body: ACTIVITIES[0] },
    'GET /filter': (req) => {
      const stop = limited();
      if (stop) return stop;
      const list = ACTIVITIES.filter(
        (a) =>
          (!req.query.type || a.type === req.query.type) && (!req.query.participants || a.participants === Number(req.query.participants)),
      );
      return list.length ? { body: list } : NONE;
    },
    'GET /activity/:key': (req) =>
      limited() ?? (ACTIVITIES.find((a) => a.key === req.params.key) ? { body: ACTIVITIES.find((a) => a.key === req.params.key) } : NONE),
  });
}
