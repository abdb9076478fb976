/**
 * NASA APOD behind the api.nasa.gov gateway (api.data.gov): GET /planetary/apod?api_key=.
 * Gateway errors `{ error: { code, message } }`: API_KEY_MISSING / API_KEY_INVALID (403),
 * OVER_RATE_LIMIT (429, use NASA_OVER_RATE_LIMIT with failNext; no Retry-After, like the real one).
 * APOD's own errors `{ code, msg, service_version }` (400: bad or out-of-range date).
 */
import { FakeReply, startFake, FakeServer } from './fake-server';

export const NASA_FAKE_KEY = 'nasa-key-0123456789abcdef';

export const NASA_OVER_RATE_LIMIT: FakeReply = {
  status: 429,
  headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0' },
  body: {
    error: {
      code: 'OVER_RATE_LIMIT',
      message: 'You have exceeded your rate limit. Try again later or contact us at https://api.nasa.gov:443/contact/ for assistance',
    },
  },
};

const entry = (date: string) => ({
  copyright: 'Flowgate Observatory',
  date,
  explanation: `The sky on ${date}, as seen by a fake telescope.`,
  hdurl: `https://apod.nasa.gov/apod/image/fake/${date}_hd.jpg`,
  media_type: 'image',
  service_version: 'v1',
  title: `Nebula of ${date}`,
  url: `https://apod.nasa.gov/apod/image/fake/${date}.jpg`,
});

export async function startNasaFake(key = NASA_FAKE_KEY): Promise<FakeServer> {
  return startFake({
    'GET /planetary/apod': (req) => {
      const given = req.query.api_key;
      if (!given)
        return {
          status: 403,
          body: { error: { code: 'API_KEY_MISSING', message: 'No api_key was supplied. Get one at https://api.nasa.gov:443' } },
        };
      if (given !== key && given !== 'DEMO_KEY') {
        return {
          status: 403,
          body: { error: { code: 'API_KEY_INVALID', message: 'An invalid api_key was supplied. Get one at https://api.nasa.gov:443' } },
        };
      }
      const today = new Date().toISOString().slice(0, 10);
      const badDate = (d: string) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d)) || d < '1995-06-16' || d > today;
      for (const name of ['date', 'start_date', 'end_date'] as const) {
        const d = req.query[name];
        if (d !== undefined && badDate(d)) {
          return {
            status: 400,
            body: { code: 400, msg: `Date must be between Jun 16, 1995 and ${new Date().toDateString().slice(4)}.`, service_version: 'v1' },
          };
        }
      }
      if (req.query.count)
        return { body: Array.from({ length: Number(req.query.count) }, (_, i) => entry(`2020-01-${String(i + 1).padStart(2, '0')}`)) };
      if (req.query.start_date) {
        const out = [];
        const end = req.query.end_date ?? today;
        for (
          let d = new Date(req.query.start_date);
          d.toISOString().slice(0, 10) <= end && out.length < 100;
          d.setUTCDate(d.getUTCDate() + 1)
        ) {
          out.push(entry(d.toISOString().slice(0, 10)));
        }
        return { body: out };
      }
      return { body: entry(req.query.date ?? today) };
    },
  });
}
