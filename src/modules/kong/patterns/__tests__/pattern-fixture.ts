import { loadConfig } from '../../../../core/config/load-config';
import { KongPattern } from '../kong-pattern';
import { KongPlan } from '../kong-plan';

export const ids = {
  deploymentId: '11111111-1111-4111-8111-111111111111',
  tenantId: '22222222-2222-4222-8222-222222222222',
  workflowId: '33333333-3333-4333-8333-333333333333',
};
export const TAGS = ['flowgate', `tenant:${ids.tenantId}`, `workflow:${ids.workflowId}`, `deployment:${ids.deploymentId}`];
export const GATEWAY_SECRET = 'gateway-secret-value-0123456789';

export const config = (env: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'test',
    FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://fg:3000',
    KONG_USAGE_SECRET: 'usage-secret-0123456789abcdef',
    ...env,
  });

/** The pattern's plan for options as a caller sends them (validated and completed first, like an apply). */
export function planFor(
  pattern: KongPattern,
  raw: Record<string, unknown> = {},
  secrets: Record<string, unknown> = { gatewaySecret: GATEWAY_SECRET },
  env: Record<string, string> = {},
): KongPlan {
  const cfg = config(env);
  const options = pattern.validate(raw, { config: cfg, workflowId: ids.workflowId });
  return pattern.plan({ ...ids, options, secrets }, cfg);
}

/** The one route of a one-service plan. */
export const onlyRoute = (plan: KongPlan) => {
  expect(plan.services).toHaveLength(1);
  expect(plan.services[0].routes).toHaveLength(1);
  return plan.services[0].routes[0];
};

export const gatewayHeader = {
  name: 'request-transformer',
  config: { remove: { headers: ['x-flowgate-gateway-secret'] }, add: { headers: [`x-flowgate-gateway-secret:${GATEWAY_SECRET}`] } },
  tags: TAGS,
};
