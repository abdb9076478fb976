import { loadConfig } from '../../../core/config/load-config';
import { AppException } from '../../../core/errors/app-exception';
import { renderDeclarativeConfig } from '../declarative/declarative-config';
import { buildPlan, validateOptions } from '../patterns';

const ids = {
  deploymentId: '11111111-1111-4111-8111-111111111111',
  tenantId: '22222222-2222-4222-8222-222222222222',
  workflowId: '33333333-3333-4333-8333-333333333333',
};
const config = (env: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'test',
    KONG_USAGE_SECRET: 'usage-secret-xyz-0123456789',
    FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://fg:3000/',
    ...env,
  });

describe('template options', () => {
  it('fills defaults per use case', () => {
    expect(validateOptions('webhook_handler', undefined, config(), ids.workflowId)).toEqual({
      second: 100,
      policy: 'local',
      limit_by: 'ip',
      fault_tolerant: true,
      hide_client_headers: false,
    });
    expect(validateOptions('smart_aggregator', {}, config(), ids.workflowId)).toEqual({ cache_ttl: 300 });
    expect(validateOptions('federated_security', {}, config(), ids.workflowId)).toEqual({
      auth: 'key-auth',
      key_names: ['apikey'],
      hide_credentials: true,
    });
    expect(validateOptions('federated_security', { auth: 'oauth2' }, config(), ids.workflowId)).toMatchObject({
      auth: 'oauth2',
      token_expiration: 7200,
      mandatory_scope: false,
    });
  });

  it('uses the Redis policy by default when Kong rate-limiting Redis settings exist', () => {
    const o = validateOptions(
      'webhook_handler',
      {},
      config({ KONG_RATE_LIMIT_REDIS_HOST: 'redis', KONG_RATE_LIMIT_REDIS_DATABASE: '2' }),
      ids.workflowId,
    );
    expect(o.policy).toBe('redis');
    const plan = buildPlan(
      { ...ids, useCase: 'webhook_handler', options: o, secrets: {} },
      config({ KONG_RATE_LIMIT_REDIS_HOST: 'redis', KONG_RATE_LIMIT_REDIS_DATABASE: '2' }),
    );
    expect(plan.services[0].routes[0].plugins[0].config).toMatchObject({
      policy: 'redis',
      redis: { host: 'redis', port: 6379, database: 2 },
    });
  });

  it('passes path to Kong with limit_by "path"', () => {
    const path = `/workflows/${ids.workflowId}/webhook`;
    const o = validateOptions('webhook_handler', { limit_by: 'path', path }, config(), ids.workflowId);
    const plan = buildPlan({ ...ids, useCase: 'webhook_handler', options: o, secrets: {} }, config());
    expect(plan.services[0].routes[0].plugins[0].config).toMatchObject({ limit_by: 'path', path });
    expect(plan.services[0].routes[0].paths).toEqual([path]);
  });

  it('refuses what Kong would refuse, naming the option', () => {
    const fields = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return ((e as AppException).details as { field: string }[]).map((d) => d.field);
      }
      throw new Error('expected a validation error');
    };
    expect(fields(() => validateOptions('webhook_handler', { hour: 10, minute: 20 }, config(), ids.workflowId))).toEqual(['options.hour']);
    expect(fields(() => validateOptions('webhook_handler', { limit_by: 'header' }, config(), ids.workflowId))).toEqual([
      'options.header_name',
    ]);
    // Kong's rate-limiting requires config.path with limit_by "path" and matches it exactly.
    expect(fields(() => validateOptions('webhook_handler', { limit_by: 'path' }, config(), ids.workflowId))).toEqual(['options.path']);
    expect(fields(() => validateOptions('webhook_handler', { limit_by: 'path', path: '/elsewhere' }, config(), ids.workflowId))).toEqual([
      'options.path',
    ]);
    expect(fields(() => validateOptions('webhook_handler', { limit_by: 'path', path: '/a//b' }, config(), ids.workflowId))).toEqual([
      'options.path',
    ]);
    expect(() => validateOptions('webhook_handler', { limit_by: 'path', path: '/a b' }, config(), ids.workflowId)).toThrow(
      /options.path must be a URL path/,
    );
    expect(
      fields(() =>
        validateOptions('webhook_handler', { limit_by: 'ip', path: `/workflows/${ids.workflowId}/webhook` }, config(), ids.workflowId),
      ),
    ).toEqual(['options.path']);
    expect(fields(() => validateOptions('webhook_handler', { header_name: 'X-Key' }, config(), ids.workflowId))).toEqual([
      'options.header_name',
    ]);
    expect(
      fields(() => validateOptions('federated_security', { mandatory_scope: true, auth: 'oauth2' }, config(), ids.workflowId)),
    ).toEqual(['options.scopes']);
    expect(
      fields(() => validateOptions('federated_security', { auth: 'oauth2' }, config({ KONG_MODE: 'dbless' }), ids.workflowId)),
    ).toEqual(['options.auth']);
    expect(fields(() => validateOptions('usage_tracking', [], config(), ids.workflowId))).toEqual(['options']);
  });
});

describe('plans and the declarative config', () => {
  it('tags every entity and derives names and paths from the deployment and workflow', () => {
    const plan = buildPlan(
      {
        ...ids,
        useCase: 'protocol_bridge',
        options: validateOptions('protocol_bridge', {}, config(), ids.workflowId),
        secrets: { gatewaySecret: 'gw-secret-value' },
      },
      config(),
    );
    const tags = ['flowgate', `tenant:${ids.tenantId}`, `workflow:${ids.workflowId}`, `deployment:${ids.deploymentId}`];
    expect(plan.services[0]).toMatchObject({
      name: `flowgate-bridge-${ids.deploymentId}`,
      url: `http://fg:3000/api/kong/bridge/${ids.deploymentId}`,
      tags,
    });
    expect(plan.services[0].routes[0]).toMatchObject({ paths: [`/workflows/${ids.workflowId}/bridge`], tags });
    expect(plan.services[0].routes[0].plugins.every((p) => p.tags === tags || JSON.stringify(p.tags) === JSON.stringify(tags))).toBe(true);
    expect(plan.secrets).toEqual(['gw-secret-value']);
  });

  it('merges deployments of one tenant into one consumer', () => {
    const fed = (deploymentId: string, apiKey: string) =>
      buildPlan(
        {
          ...ids,
          deploymentId,
          useCase: 'federated_security',
          options: validateOptions('federated_security', {}, config(), ids.workflowId),
          secrets: { apiKey },
        },
        config(),
      );
    const cfg = renderDeclarativeConfig(
      [fed('44444444-4444-4444-8444-444444444444', 'key-one'), fed('55555555-5555-4555-8555-555555555555', 'key-two')],
      config(),
    );
    expect(cfg.consumers).toHaveLength(1);
    expect(cfg.consumers![0]).toMatchObject({ username: `flowgate-tenant-${ids.tenantId}`, custom_id: ids.tenantId });
    expect((cfg.consumers![0].keyauth_credentials as { key: string }[]).map((k) => k.key)).toEqual(['key-one', 'key-two']);
    expect(cfg.services.map((s) => s.name)).toEqual([
      'flowgate-api',
      'flowgate-secure-44444444-4444-4444-8444-444444444444',
      'flowgate-secure-55555555-5555-4555-8555-555555555555',
    ]);
  });
});
