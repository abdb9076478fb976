import { webhookHandler } from '../webhook-handler.pattern';
import { gatewayHeader, ids, onlyRoute, planFor } from './pattern-fixture';

describe('webhook_handler plan', () => {
  it("rate-limiting on a POST route to the workflow's webhook, then the gateway secret", () => {
    const plan = planFor(webhookHandler, { minute: 10, hour: 100, limit_by: 'header', header_name: 'X-Customer' });
    expect(plan.services[0]).toMatchObject({ url: `http://fg:3000/api/webhooks/${ids.workflowId}`, retries: 0 });
    const route = onlyRoute(plan);
    expect(route).toMatchObject({
      name: `flowgate-webhook-${ids.deploymentId}`,
      paths: [`/workflows/${ids.workflowId}/webhook`],
      methods: ['POST'],
    });
    expect(route.plugins.map((p) => p.name)).toEqual(['rate-limiting', 'request-transformer']);
    expect(route.plugins[0].config).toEqual({
      minute: 10,
      hour: 100,
      policy: 'local',
      limit_by: 'header',
      header_name: 'X-Customer',
      fault_tolerant: true,
      hide_client_headers: false,
    });
    expect(route.plugins[1]).toEqual(gatewayHeader);
  });

  it('a deployment stored before webhooks asked for the gateway secret renders without it', () => {
    expect(onlyRoute(planFor(webhookHandler, {}, {})).plugins.map((p) => p.name)).toEqual(['rate-limiting']);
  });

  it("policy redis sends Kong's Redis settings, and the password counts as a secret of the plan", () => {
    const env = { KONG_RATE_LIMIT_REDIS_HOST: 'kong-redis', KONG_RATE_LIMIT_REDIS_PASSWORD: 'redis-password-0123' };
    const plan = planFor(webhookHandler, {}, { gatewaySecret: 'g'.repeat(20) }, env);
    expect(onlyRoute(plan).plugins[0].config).toMatchObject({
      policy: 'redis',
      second: 100,
      redis: { host: 'kong-redis', password: 'redis-password-0123' },
    });
    expect(plan.secrets).toEqual(['redis-password-0123', 'g'.repeat(20)]);
  });
});
