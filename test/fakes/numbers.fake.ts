/**
 * Numbers API (numbersapi.com): GET /{number}/{trivia|math|year}?json and
 * /{month}/{day}/date?json → `{ text, number, found, type }` (dates add `year`). A number
 * without a stored fact still answers 200 with `found: false`; a path that is not a number
 * (or a day the calendar lacks, e.g. 2/30) answers 404 with a plain-text body.
 */
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

const FACTS: Record<string, Record<string, string>> = {
  trivia: {
    '42': '42 is the answer to the Ultimate Question of Life, the Universe, and Everything.',
    '7': '7 is the number of colours in a rainbow.',
  },
  math: { '42': '42 is a pronic number.', '7': '7 is the smallest number of faces of a regular polyhedron… no, it is a Mersenne prime.' },
  year: { '1969': '1969 is the year that the first humans land on the Moon.' },
};
const NOT_FOUND_TEXT = (path: string) => `Cannot GET ${path}`;

function answer(req: FakeRequest, number: string, type: string, text: string | undefined, extra: Record<string, unknown> = {}): FakeReply {
  const fallback = `${number} is an unremarkable number.`;
  if ('json' in req.query) return { body: { text: text ?? fallback, number: Number(number), found: text !== undefined, type, ...extra } };
  return { body: text ?? fallback };
}

export async function startNumbersFake(): Promise<FakeServer> {
  return startFake({
    'GET /:month/:day/date': (req) => {
      const m = Number(req.params.month);
      const d = Number(req.params.day);
      const real = new Date(Date.UTC(2004, m - 1, d)); // 2004: a leap year, so 2/29 exists
      if (!Number.isInteger(m) || !Number.isInteger(d) || real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d)
        return { status: 404, body: NOT_FOUND_TEXT(req.path) };
      const dayOfYear = Math.floor((Date.UTC(2004, m - 1, d) - Date.UTC(2004, 0, 0)) / 86_400_000);
      const text = m === 7 && d === 20 ? 'July 20th is the day in 1969 that Apollo 11 landed on the Moon.' : undefined;
      return answer(req, String(dayOfYear), 'date', text, { year: 1969 });
    },
    'GET /:number/:type': (req) => {
      const { type } = req.params;
      const number = req.params.number === 'random' ? '42' : req.params.number;
      if (!/^-?\d+$/.test(number) || !FACTS[type]) return { status: 404, body: NOT_FOUND_TEXT(req.path) };
      return answer(req, number, type, FACTS[type][number]);
    },
  });
}
