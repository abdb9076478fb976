import { loadConfig } from '../../../core/config/load-config';
import { OutboundHttpClient } from '../../../core/http/outbound-http.client';
import type { MetricsService } from '../../../core/metrics/metrics.service';
import type { CredentialsService } from '../../credentials';
import { ConnectorContextFactory } from '../catalog/connector-context.factory';
import { ConnectorRegistry } from '../catalog/connector.registry';
import { ConnectorInvoker } from '../connector-invoker';
import { Connector, ConnectorError } from '../connector.types';

/** Invoker behaviour that needs a misbehaving connector (the real ones are covered end to end in test/connectors.e2e-spec.ts). */
const connector = (key: string, execute: Connector['execute']): Connector => ({
  descriptor: {
    key,
    name: key.toUpperCase(),
    description: '',
    auth: ['none'],
    baseUrlSetting: 'BUGGY_BASE_URL',
    actions: [{ key: 'run', name: 'Run', description: '', readOnly: true, sideEffects: false, input: { type: 'object' } }],
  },
  execute,
});

describe('ConnectorInvoker with misbehaving connectors', () => {
  const config = loadConfig({ NODE_ENV: 'test', BUGGY_BASE_URL: 'http://127.0.0.1:9/base/' });
  const http = new OutboundHttpClient(config);
  const seen: Array<{ baseUrl: string }> = [];
  const registry = new ConnectorRegistry([
    connector('buggy', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    }),
    connector('stubborn', () => new Promise(() => undefined)), // ignores its abort signal entirely
    connector('echo', async (_a, params, ctx) => {
      seen.push({ baseUrl: ctx.baseUrl });
      return params;
    }),
  ]);
  const metrics = {
    counter: () => ({ inc: () => undefined }),
    histogram: () => ({ observe: () => undefined }),
  } as unknown as MetricsService;
  const invoker = new ConnectorInvoker(registry, {} as CredentialsService, new ConnectorContextFactory(config, http), config, metrics);
  afterAll(() => http.onApplicationShutdown());

  it('turns a connector bug into a final ConnectorError with the error type, not a crash', async () => {
    const err = (await invoker
      .invoke({ tenantId: 't', connectorKey: 'buggy', action: 'run', params: {} })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ retryable: false, code: 'CONNECTOR_BUG' });
    expect(err.message).toBe("BUGGY: unexpected error (TypeError: Cannot read properties of undefined (reading 'x'))");
  });

  it('enforces the step timeout even when the connector ignores its signal', async () => {
    const err = await invoker
      .invoke({ tenantId: 't', connectorKey: 'stubborn', action: 'run', params: {}, timeoutMs: 50 })
      .catch((e: unknown) => e as ConnectorError);
    expect(err).toMatchObject({ message: 'STUBBORN: timed out after 50 ms', retryable: true, code: 'TIMEOUT' });
  });

  it('gives the connector its <NAME>_BASE_URL override through the context', async () => {
    await invoker.invoke({ tenantId: 't', connectorKey: 'echo', action: 'run', params: { a: 1 } });
    expect(seen[0].baseUrl).toBe('http://127.0.0.1:9/base');
  });
});
