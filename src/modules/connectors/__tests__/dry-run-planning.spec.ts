import { loadConfig } from '../../../core/config/load-config';
import { OutboundHttpClient } from '../../../core/http/outbound-http.client';
import type { MetricsService } from '../../../core/metrics/metrics.service';
import type { CredentialsService } from '../../credentials';
import { ConnectorContextFactory } from '../catalog/connector-context.factory';
import { ConnectorRegistry } from '../catalog/connector.registry';
import { maskRequest } from '../catalog/planning-http';
import { ConnectorInvoker } from '../connector-invoker';
import { CONNECTOR_CLASSES } from '../connector-list';
import { Connector, ConnectorActionDescriptor, ResolvedCredential } from '../connector.types';

const make = (action: Partial<ConnectorActionDescriptor>, execute: Connector['execute'] = async () => null): Connector => ({
  descriptor: {
    key: 'probe',
    name: 'Probe',
    description: '',
    auth: ['none'],
    actions: [{ key: 'a', name: 'a', description: '', input: { type: 'object' }, readOnly: false, ...action } as ConnectorActionDescriptor],
  },
  execute,
});

describe('ConnectorRegistry: every action says whether it has side effects', () => {
  it('refuses at start an action without sideEffects, or with side effects and no sampleOutput', () => {
    expect(() => new ConnectorRegistry([make({})])).toThrow('Connector "probe": action "a" must declare sideEffects (true or false)');
    expect(() => new ConnectorRegistry([make({ sideEffects: true })])).toThrow(
      'Connector "probe": action "a" has side effects and must declare a sampleOutput (what a planned step answers in a dry run)',
    );
    expect(() => new ConnectorRegistry([make({ sideEffects: false, sideEffectsOf: () => true })])).toThrow(/sideEffects must be true/);
    expect(() => new ConnectorRegistry([make({ sideEffects: true, sampleOutput: { n: BigInt(1) } })])).toThrow(
      /sampleOutput must be a JSON value/,
    );
    expect(new ConnectorRegistry([make({ sideEffects: true, sampleOutput: { ok: true } })]).has('probe')).toBe(true);
    expect(new ConnectorRegistry([make({ sideEffects: false })]).has('probe')).toBe(true);
  });

  it('every listed connector action declares the flag, a sample output when it has side effects, and read-only ones have none', () => {
    const registry = new ConnectorRegistry(CONNECTOR_CLASSES.map((C) => new C()));
    for (const c of registry.list()) {
      for (const a of c.descriptor.actions) {
        expect([c.descriptor.key, a.key, typeof a.sideEffects]).toEqual([c.descriptor.key, a.key, 'boolean']);
        if (a.sideEffects) expect([c.descriptor.key, a.key, a.sampleOutput !== undefined]).toEqual([c.descriptor.key, a.key, true]);
        if (a.readOnly) expect([c.descriptor.key, a.key, a.sideEffects]).toEqual([c.descriptor.key, a.key, false]);
      }
    }
  });

  it('the http request decides by its method', () => {
    const registry = new ConnectorRegistry(CONNECTOR_CLASSES.map((C) => new C()));
    const effects = (method?: string) =>
      registry.hasSideEffects('http', 'request', { url: 'https://x.test', ...(method ? { method } : {}) });
    expect([effects(), effects('GET'), effects('HEAD'), effects('POST'), effects('PUT'), effects('PATCH'), effects('DELETE')]).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(registry.hasSideEffects('slack', 'send_message', { text: 'x' })).toBe(true);
    expect(registry.hasSideEffects('salesforce', 'query', { soql: 'x' })).toBe(false);
  });
});

describe('ConnectorInvoker.invokeWithoutSideEffects', () => {
  const config = loadConfig({ NODE_ENV: 'test' });
  const http = new OutboundHttpClient(config);
  const attempts: string[] = [];
  const stubborn = make({ sideEffects: true, sampleOutput: { id: 'sample-1' } }, async (_a, params, ctx) => {
    // A connector that swallows the stop and tries again: the second request is refused too.
    for (const path of ['/first', '/second']) {
      attempts.push(path);
      try {
        await ctx.http.request({ method: 'POST', url: `http://127.0.0.1:9${path}`, body: params });
      } catch {
        // ignored on purpose
      }
    }
    return { id: 'really-ran' };
  });
  const metrics = {
    counter: () => ({ inc: () => undefined }),
    histogram: () => ({ observe: () => undefined }),
  } as unknown as MetricsService;
  const invoker = new ConnectorInvoker(
    new ConnectorRegistry([stubborn]),
    {} as CredentialsService,
    new ConnectorContextFactory(config, http),
    config,
    metrics,
  );
  afterAll(() => http.onApplicationShutdown());

  it('records the first request, sends nothing, and answers the sample output even when the connector swallows the stop', async () => {
    const out = await invoker.invokeWithoutSideEffects({ tenantId: 't', connectorKey: 'probe', action: 'a', params: { n: 1 } });
    expect(attempts).toEqual(['/first', '/second']);
    expect(out).toEqual({
      output: { id: 'sample-1' },
      planned: { method: 'POST', url: 'http://127.0.0.1:9/first', headers: { 'content-type': 'application/json' }, body: { n: 1 } },
    });
  });
});

describe('maskRequest: the planned request never shows a secret', () => {
  const cred = (authKind: string, secrets: Record<string, string>): ResolvedCredential => ({ id: 'c', name: 'c', authKind, secrets });

  it('masks the path of a webhook URL (the URL is the secret), keeping its host and ordinary query', () => {
    const webhookUrl = 'https://hooks.slack.com/services/T000/B000/abcdefghijklmnop';
    const url = new URL(`${webhookUrl}?wait=true`);
    const out = maskRequest('POST', url, { method: 'POST', url: webhookUrl, body: { text: 'hi' } }, cred('webhook_url', { webhookUrl }));
    expect(out).toEqual({
      method: 'POST',
      url: 'https://hooks.slack.com/[redacted]?wait=true',
      headers: { 'content-type': 'application/json' },
      body: { text: 'hi' },
    });
  });

  it('masks credential headers and query, secret-named ones, credential values in the path and basic-auth forms', () => {
    const secrets = { accountSid: 'AC0123456789abcdef', authToken: 'tok-0123456789' };
    const basic = `Basic ${Buffer.from(`${secrets.accountSid}:${secrets.authToken}`).toString('base64')}`;
    const out = maskRequest(
      'POST',
      new URL(`https://api.example.com/Accounts/${secrets.accountSid}/Messages.json?page=2&api_key=k-123456`),
      {
        method: 'POST',
        url: 'unused',
        headers: { 'X-Api-Key': 'plain-key-123', 'X-Trace': 'trace-1', 'X-Echo': `sid ${secrets.accountSid}` },
        credential: { headers: { Authorization: basic }, query: { appid: 'owm-123456' } },
        body: 'To=%2B1&Body=hi',
      },
      cred('basic', secrets),
    );
    expect(out).toEqual({
      method: 'POST',
      url: 'https://api.example.com/Accounts/[redacted]/Messages.json?page=2&api_key=[redacted]&appid=[redacted]',
      headers: {
        'x-api-key': '[redacted]',
        'x-trace': 'trace-1',
        'x-echo': 'sid [redacted]',
        authorization: '[redacted]',
        'content-type': 'text/plain; charset=utf-8',
      },
      body: 'To=%2B1&Body=hi',
    });
  });
});
