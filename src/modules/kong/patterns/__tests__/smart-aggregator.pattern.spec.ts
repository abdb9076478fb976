import { smartAggregator } from '../smart-aggregator.pattern';
import { gatewayHeader, ids, onlyRoute, planFor } from './pattern-fixture';

describe('smart_aggregator plan', () => {
  it("a GET/HEAD route to Flowgate's aggregate endpoint: the gateway secret, then Kong's cache of JSON 200s", () => {
    const plan = planFor(smartAggregator, { cache_ttl: 60 });
    expect(plan.services[0]).toMatchObject({ url: `http://fg:3000/api/kong/aggregate/${ids.deploymentId}`, retries: 0 });
    const route = onlyRoute(plan);
    expect(route).toMatchObject({ paths: [`/workflows/${ids.workflowId}/aggregate`], methods: ['GET', 'HEAD'] });
    expect(route.plugins).toEqual([
      gatewayHeader,
      expect.objectContaining({
        name: 'proxy-cache',
        config: expect.objectContaining({ strategy: 'memory', cache_ttl: 60, response_code: [200], request_method: ['GET', 'HEAD'] }),
      }),
    ]);
  });
});
