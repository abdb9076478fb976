import { federatedSecurity } from '../federated-security.pattern';
import { config, GATEWAY_SECRET, ids, onlyRoute, planFor, TAGS } from './pattern-fixture';

const group = `flowgate-deployment-${ids.deploymentId}`;

describe('federated_security plan', () => {
  it("key-auth: the auth plugin, the deployment's ACL group, the gateway secret; the key on the tenant's consumer", () => {
    const plan = planFor(federatedSecurity, { key_names: ['x-api-key'] }, { gatewaySecret: GATEWAY_SECRET, apiKey: 'the-api-key-0123' });
    const route = onlyRoute(plan);
    expect(route).toMatchObject({ paths: [`/workflows/${ids.workflowId}/secure`], methods: ['POST'] });
    expect(route.plugins.map((p) => [p.name, p.config])).toEqual([
      ['key-auth', { key_names: ['x-api-key'], hide_credentials: true }],
      ['acl', { allow: [group], hide_groups_header: true }],
      ['request-transformer', expect.any(Object)],
    ]);
    expect(plan.consumer).toEqual({
      username: `flowgate-tenant-${ids.tenantId}`,
      custom_id: ids.tenantId,
      tags: ['flowgate', `tenant:${ids.tenantId}`],
      acl: { group, tags: TAGS },
      keyAuth: { key: 'the-api-key-0123', tags: TAGS },
    });
    expect(plan.secrets).toEqual(expect.arrayContaining(['the-api-key-0123', GATEWAY_SECRET]));
  });

  it('oauth2: the client credentials flow with its scopes; the client on the consumer, its secret a secret of the plan', () => {
    const oauth2 = { clientId: 'flowgate-client', clientSecret: 'client-secret-0123' };
    const plan = planFor(
      federatedSecurity,
      { auth: 'oauth2', scopes: ['orders:read'], mandatory_scope: true },
      { gatewaySecret: GATEWAY_SECRET, oauth2 },
    );
    expect(onlyRoute(plan).plugins[0]).toMatchObject({
      name: 'oauth2',
      config: {
        enable_client_credentials: true,
        scopes: ['orders:read'],
        mandatory_scope: true,
        token_expiration: 7200,
        global_credentials: false,
      },
    });
    expect(plan.consumer?.oauth2).toMatchObject({ client_id: 'flowgate-client', client_secret: 'client-secret-0123' });
    expect(plan.consumer?.keyAuth).toBeUndefined();
    expect(plan.secrets).toEqual(expect.arrayContaining(['client-secret-0123']));
  });

  it('keeps the credentials it has and generates only the missing ones', () => {
    const options = federatedSecurity.validate({}, { config: config(), workflowId: ids.workflowId });
    let n = 0;
    const generate = () => `generated-${++n}`;
    expect(federatedSecurity.secrets(options, {}, generate)).toEqual({
      secrets: { apiKey: 'generated-1' },
      fresh: { apiKey: 'generated-1' },
    });
    expect(federatedSecurity.secrets(options, { apiKey: 'kept' }, generate)).toEqual({ secrets: { apiKey: 'kept' }, fresh: {} });
  });
});
