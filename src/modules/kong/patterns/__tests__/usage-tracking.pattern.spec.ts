import { AppException } from '../../../../core/errors/app-exception';
import { usageTracking } from '../usage-tracking.pattern';
import { config, ids, onlyRoute, planFor } from './pattern-fixture';

describe('usage_tracking plan', () => {
  it("http-log to Flowgate's usage endpoint with the shared usage secret, on a POST route to the webhook", () => {
    const plan = planFor(usageTracking, { max_batch_size: 50 });
    expect(plan.services[0]).toMatchObject({ url: `http://fg:3000/api/webhooks/${ids.workflowId}` });
    const route = onlyRoute(plan);
    expect(route.paths).toEqual([`/workflows/${ids.workflowId}/metered`]);
    expect(route.plugins.map((p) => p.name)).toEqual(['http-log', 'request-transformer']);
    expect(route.plugins[0].config).toMatchObject({
      http_endpoint: 'http://fg:3000/api/kong/usage',
      headers: { 'x-kong-usage-secret': 'usage-secret-0123456789abcdef' },
      queue: { max_batch_size: 50, max_coalescing_delay: 1 },
    });
    expect(plan.secrets).toContain('usage-secret-0123456789abcdef');
  });

  it('needs KONG_USAGE_SECRET (503 before anything is made)', () => {
    expect(() => usageTracking.requireConfigured(config({ KONG_USAGE_SECRET: '' }))).toThrow(AppException);
    expect(() => usageTracking.requireConfigured(config())).not.toThrow();
  });
});
