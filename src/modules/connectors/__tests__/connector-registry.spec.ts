import { ConnectorRegistry } from '../catalog/connector.registry';
import { CONNECTOR_CLASSES } from '../connector-list';
import { Connector } from '../connector.types';

const registry = new ConnectorRegistry(CONNECTOR_CLASSES.map((C) => new C()));

describe('ConnectorRegistry', () => {
  it('compiles every listed connector and finds them by key', () => {
    expect(registry.list().length).toBe(CONNECTOR_CLASSES.length);
    for (const key of ['http', 'slack', 'discord', 'openweather']) expect(registry.get(key)?.descriptor.key).toBe(key);
    expect(registry.get('nope')).toBeUndefined();
  });

  it('refuses duplicate keys and broken schemas at start', () => {
    const make = (key: string, input: Record<string, unknown>): Connector => ({
      descriptor: {
        key,
        name: key,
        description: '',
        auth: ['none'],
        actions: [{ key: 'a', name: 'a', description: '', input, readOnly: true, sideEffects: false }],
      },
      execute: async () => null,
    });
    expect(() => new ConnectorRegistry([make('x', { type: 'object' }), make('x', { type: 'object' })])).toThrow('registered twice');
    expect(() => new ConnectorRegistry([make('y', { type: 'no-such-type' })])).toThrow(/connector "y" action "a": invalid JSON schema/);
  });

  it('names unknown connectors and actions', () => {
    expect(registry.validateParams('nope', 'x', {})).toEqual([{ field: 'connector', message: 'unknown connector "nope"' }]);
    expect(registry.validateParams('openweather', 'forecast', {})).toEqual([
      { field: 'action', message: 'unknown action "forecast" for OpenWeather (known: current_weather)' },
    ]);
  });

  describe('params at save time (templates not rendered yet)', () => {
    it('accepts a template wherever any type is expected', () => {
      expect(registry.validateParams('openweather', 'current_weather', { city: '{{trigger.city}}', units: '{{trigger.units}}' })).toEqual(
        [],
      );
      expect(
        registry.validateParams('http', 'request', {
          url: '{{steps.lookup.body.url}}',
          timeoutMs: '{{trigger.t}}',
          failOnHttpError: '{{x}}',
        }),
      ).toEqual([]);
      expect(registry.validateParams('http', 'request', { url: 'https://api.example.com/items/{{trigger.id}}' })).toEqual([]);
      expect(registry.validateParams('discord', 'send_message', { embeds: '{{steps.build.embeds}}' })).toEqual([]);
      expect(
        registry.validateParams('slack', 'send_message', {
          text: 'Hi {{trigger.user.name}}',
          blocks: [{ type: 'section', text: '{{x}}' }],
        }),
      ).toEqual([]);
    });

    it('still reports missing required fields, unknown fields and wrong literal values', () => {
      expect(registry.validateParams('openweather', 'current_weather', { units: 'kelvin', extra: 1 })).toEqual(
        expect.arrayContaining([
          { field: 'city', message: 'is required' },
          { field: 'extra', message: 'is not allowed (unknown field)' },
          { field: 'units', message: 'must be one of: "metric", "imperial", "standard"' },
        ]),
      );
      expect(registry.validateParams('http', 'request', { url: 'ftp://x', method: 'BREW' })).toEqual(
        expect.arrayContaining([
          { field: 'url', message: 'must match pattern "^https?://"' },
          { field: 'method', message: expect.stringContaining('must be one of') },
        ]),
      );
      expect(registry.validateParams('slack', 'send_message', { text: 42 })).toEqual([{ field: 'text', message: 'must be string' }]);
    });

    it('explains combinators in words', () => {
      expect(registry.validateParams('discord', 'send_message', { username: 'bot' })).toEqual([
        { message: 'needs one of content or embeds' },
      ]);
      expect(registry.validateParams('discord', 'send_message', { embeds: [{ title: 'x' }], content: 5 })).toEqual([
        { field: 'content', message: 'must be string' },
      ]);
    });

    it('names nested fields with dots and indexes', () => {
      const errors = registry.validateParams('slack', 'send_message', { text: 'x', blocks: ['not-an-object'] });
      expect(errors).toEqual([{ field: 'blocks[0]', message: 'must be object' }]);
    });
  });

  describe('params at run time (rendered)', () => {
    it('applies the schema as written: a leftover template is just a string', () => {
      expect(registry.validateRenderedParams('http', 'request', { url: '{{x}}' })).toEqual(
        expect.arrayContaining([
          { field: 'url', message: 'must match format "uri"' },
          { field: 'url', message: 'must match pattern "^https?://"' },
        ]),
      );
      expect(registry.validateRenderedParams('openweather', 'current_weather', { city: 'Paris' })).toEqual([]);
    });
  });
});
