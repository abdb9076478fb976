import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor, ConnectorError, OutboundResponse } from '../../contract';
import { field, invalidParams, joinUrl, redactSecrets, requireSecret, retryAfterSeconds, textReason } from '../shared/provider-call';

const PROVIDER = 'OpenWeather';
export const OPENWEATHER_DEFAULT_BASE_URL = 'https://api.openweathermap.org';

/**
 * OpenWeather current weather: GET /data/2.5/weather?q={city}&appid={key}&units=metric.
 * Errors `{ cod, message }`: 401 invalid key, 404 "city not found", 429 over quota.
 */
export class OpenWeatherConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'openweather',
    name: 'OpenWeather',
    description: 'Current weather for a city from OpenWeatherMap.',
    auth: ['api_key'],
    credentialSchema: {
      type: 'object',
      required: ['apiKey'],
      additionalProperties: false,
      properties: { apiKey: { type: 'string', minLength: 1, description: 'OpenWeather API key (appid)' } },
    },
    baseUrlSetting: 'OPENWEATHER_BASE_URL',
    hosts: hostsOf(OPENWEATHER_DEFAULT_BASE_URL),
    docsUrl: 'https://openweathermap.org/current',
    actions: [
      {
        key: 'current_weather',
        name: 'Current weather',
        description:
          'Weather now in a city. Output: { city, country, temperature, feelsLike, humidity, conditions, description, units, data } (data: the full answer).',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          required: ['city'],
          additionalProperties: false,
          properties: {
            city: { type: 'string', minLength: 1, maxLength: 200, description: 'City name, optionally with country code: "London,GB"' },
            units: { type: 'string', enum: ['metric', 'imperial', 'standard'], default: 'metric' },
            lang: { type: 'string', pattern: '^[a-zA-Z_]{2,5}$' },
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'current_weather') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const units = (params.units as string) ?? 'metric';
    const res = await this.weather(ctx, String(params.city), units, params.lang as string | undefined);
    const b = res.body as {
      name?: string;
      sys?: { country?: string };
      main?: Record<string, number>;
      weather?: Array<{ main?: string; description?: string }>;
    };
    return {
      city: b.name,
      country: b.sys?.country,
      temperature: b.main?.temp,
      feelsLike: b.main?.feels_like,
      humidity: b.main?.humidity,
      conditions: b.weather?.[0]?.main,
      description: b.weather?.[0]?.description,
      units,
      data: res.body,
    };
  }

  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    await this.weather(ctx, 'London', 'metric');
    return { ok: true, detail: 'API key accepted' };
  }

  private async weather(ctx: ConnectorContext, city: string, units: string, lang?: string): Promise<OutboundResponse> {
    const appid = requireSecret(PROVIDER, ctx, 'apiKey');
    const res = await ctx.http.request({
      method: 'GET',
      url: joinUrl(ctx.baseUrl || OPENWEATHER_DEFAULT_BASE_URL, '/data/2.5/weather'),
      query: { q: city, units, lang },
      credential: { query: { appid } },
    });
    if (res.status === 200) return res;
    throw this.failure(res, ctx);
  }

  /** "OpenWeather: city not found (404)", "OpenWeather: Invalid API key. ... (401)". */
  private failure(res: OutboundResponse, ctx: ConnectorContext): ConnectorError {
    const message = redactSecrets(field(res.body, 'message') ?? textReason(res), ctx).slice(0, 300);
    const base = ConnectorError.fromStatus(PROVIDER, res.status, message, retryAfterSeconds(res.headers));
    return new ConnectorError(base.message, {
      retryable: base.retryable,
      upstreamStatus: res.status,
      code: field(res.body, 'cod'),
      retryAfterSeconds: base.retryAfterSeconds,
    });
  }
}
