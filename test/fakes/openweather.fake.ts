/**
 * OpenWeather current weather (api.openweathermap.org):
 *   GET /data/2.5/weather?q={city}&appid={key}&units={metric|imperial|standard}
 * 200 `{ coord, weather: [{ id, main, description, icon }], main: { temp, feels_like, humidity, ... }, name, sys, cod: 200 }`.
 * Errors: 401 `{ cod: 401, message: "Invalid API key. ..." }`, 404 `{ cod: "404", message: "city not found" }`,
 * 400 `{ cod: "400", message: "Nothing to geocode" }`; 429 via OPENWEATHER_RATE_LIMITED with failNext.
 */
import { FakeReply, FakeServer, startFake } from './fake-server';

export const OPENWEATHER_API_KEY = 'owm-test-key-0123456789abcdef';

export const OPENWEATHER_RATE_LIMITED: FakeReply = {
  status: 429,
  body: {
    cod: 429,
    message:
      'Your account is temporary blocked due to exceeding of requests limitation of your subscription type. Please choose the proper subscription https://openweathermap.org/price',
  },
};
export const OPENWEATHER_UNAVAILABLE: FakeReply = { status: 503, body: 'Service Unavailable' };

const CITIES: Record<string, { name: string; country: string; celsius: number; humidity: number; main: string; description: string }> = {
  london: { name: 'London', country: 'GB', celsius: 11.5, humidity: 81, main: 'Clouds', description: 'overcast clouds' },
  paris: { name: 'Paris', country: 'FR', celsius: 14.2, humidity: 70, main: 'Clear', description: 'clear sky' },
  berlin: { name: 'Berlin', country: 'DE', celsius: 9.8, humidity: 75, main: 'Rain', description: 'light rain' },
};

function temperature(celsius: number, units: string): number {
  if (units === 'imperial') return Math.round(((celsius * 9) / 5 + 32) * 100) / 100;
  if (units === 'metric') return celsius;
  return Math.round((celsius + 273.15) * 100) / 100;
}

export async function startOpenWeatherFake(apiKey = OPENWEATHER_API_KEY): Promise<FakeServer> {
  return startFake({
    'GET /data/2.5/weather': (req) => {
      if (req.query.appid !== apiKey) {
        return {
          status: 401,
          body: { cod: 401, message: 'Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.' },
        };
      }
      const q = (req.query.q ?? '').trim();
      if (!q) return { status: 400, body: { cod: '400', message: 'Nothing to geocode' } };
      const city = CITIES[q.split(',')[0].trim().toLowerCase()];
      if (!city) return { status: 404, body: { cod: '404', message: 'city not found' } };
      const units = req.query.units ?? 'standard';
      const temp = temperature(city.celsius, units);
      return {
        body: {
          coord: { lon: 0, lat: 0 },
          weather: [{ id: 804, main: city.main, description: city.description, icon: '04d' }],
          base: 'stations',
          main: { temp, feels_like: temp, temp_min: temp, temp_max: temp, pressure: 1012, humidity: city.humidity },
          visibility: 10000,
          wind: { speed: 4.1, deg: 240 },
          dt: 1700000000,
          sys: { country: city.country, sunrise: 1699989000, sunset: 1700021000 },
          timezone: 0,
          id: 2643743,
          name: city.name,
          cod: 200,
        },
      };
    },
  });
}
