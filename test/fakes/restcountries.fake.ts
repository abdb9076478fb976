/**
 * REST Countries v3.1 (restcountries.com): GET /v3.1/name/{name}[?fullText=true][&fields=],
 * /v3.1/alpha/{code}. Name search is a case-insensitive substring match (so "guinea" finds
 * four countries); nothing found → 404 `{ status: 404, message: "Not Found" }`.
 */
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

const country = (common: string, official: string, cca2: string, cca3: string, capital: string[], region: string, population: number) => ({
  name: { common, official, nativeName: {} },
  cca2,
  cca3,
  capital,
  region,
  population,
  flags: { png: `https://flagcdn.com/w320/${cca2.toLowerCase()}.png` },
});

const COUNTRIES = [
  country('France', 'French Republic', 'FR', 'FRA', ['Paris'], 'Europe', 67391582),
  country('Japan', 'Japan', 'JP', 'JPN', ['Tokyo'], 'Asia', 125836021),
  country('Guinea', 'Republic of Guinea', 'GN', 'GIN', ['Conakry'], 'Africa', 13132792),
  country('Guinea-Bissau', 'Republic of Guinea-Bissau', 'GW', 'GNB', ['Bissau'], 'Africa', 1967998),
  country('Equatorial Guinea', 'Republic of Equatorial Guinea', 'GQ', 'GNQ', ['Malabo'], 'Africa', 1402985),
  country('Papua New Guinea', 'Independent State of Papua New Guinea', 'PG', 'PNG', ['Port Moresby'], 'Oceania', 8947027),
];
const NOT_FOUND: FakeReply = { status: 404, body: { status: 404, message: 'Not Found' } };

function pick(req: FakeRequest, list: typeof COUNTRIES): FakeReply {
  if (!list.length) return NOT_FOUND;
  const fields = req.query.fields?.split(',');
  return { body: fields ? list.map((c) => Object.fromEntries(Object.entries(c).filter(([k]) => fields.includes(k)))) : list };
}

export async function startRestCountriesFake(): Promise<FakeServer> {
  return startFake({
    'GET /v3.1/name/:name': (req) => {
      const q = req.params.name.toLowerCase();
      const exact = req.query.fullText === 'true';
      return pick(
        req,
        COUNTRIES.filter((c) => {
          const names = [c.name.common, c.name.official].map((n) => n.toLowerCase());
          return exact ? names.includes(q) : names.some((n) => n.includes(q));
        }),
      );
    },
    'GET /v3.1/alpha/:code': (req) => {
      const code = req.params.code.toUpperCase();
      if (!/^[A-Z0-9]{2,3}$/.test(code)) return { status: 400, body: { status: 400, message: 'Bad Request' } };
      return pick(
        req,
        COUNTRIES.filter((c) => c.cca2 === code || c.cca3 === code),
      );
    },
  });
}
