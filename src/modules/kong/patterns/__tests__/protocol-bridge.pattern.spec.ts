import { protocolBridge } from '../protocol-bridge.pattern';
import { gatewayHeader, ids, onlyRoute, planFor, TAGS } from './pattern-fixture';

describe('protocol_bridge plan', () => {
  it("one POST route to Flowgate's bridge endpoint, Kong waiting read_timeout_ms, never retried, with the gateway secret", () => {
    const plan = planFor(protocolBridge, { read_timeout_ms: 5000 });
    expect(plan.services[0]).toMatchObject({
      name: `flowgate-bridge-${ids.deploymentId}`,
      url: `http://fg:3000/api/kong/bridge/${ids.deploymentId}`,
      read_timeout: 5000,
      retries: 0,
      tags: TAGS,
    });
    expect(onlyRoute(plan)).toMatchObject({ paths: [`/workflows/${ids.workflowId}/bridge`], methods: ['POST'], plugins: [gatewayHeader] });
    expect(plan.secrets).toEqual([gatewayHeader.config.add.headers[0].split(':')[1]]);
    expect(plan.consumer).toBeUndefined();
  });

  it('cannot be planned without its gateway secret', () => {
    expect(() => planFor(protocolBridge, {}, {})).toThrow('deployment is missing its gateway secret');
  });
});
