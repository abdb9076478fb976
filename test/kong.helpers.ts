import { ProxyResponse } from './fakes/kong-proxy.fake';
import { HttpClient } from './support/http-client';
import { openApiContract } from './support/openapi-contract';

/** A workflow with a transform step (read-only) and a webhook trigger: enough for most Kong templates. */
export async function createWorkflow(http: HttpClient, token: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await http.post(
    '/api/workflows',
    {
      name: 'Kong target',
      trigger: { type: 'webhook' },
      steps: [{ name: 'shape', type: 'transform', params: { hello: '{{trigger.name | default: "world"}}' } }],
      ...body,
    },
    { token },
  );
  if (res.status !== 201) throw new Error(`create workflow failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}

export function applyTemplate(http: HttpClient, token: string, workflowId: string, useCase: string, options?: Record<string, unknown>) {
  return http.post('/api/kong/templates', { workflow_id: workflowId, use_case: useCase, ...(options ? { options } : {}) }, { token });
}

/** Every tag Flowgate puts on what a deployment makes. */
export function deploymentTags(tenantId: string, workflowId: string, deploymentId: string): string[] {
  return ['flowgate', `tenant:${tenantId}`, `workflow:${workflowId}`, `deployment:${deploymentId}`];
}

/**
 * Kong's proxy emulator reaches the app with plain fetch, so the shared client's contract check
 * never sees what Flowgate answered behind it: check that answer against the operation Kong
 * forwarded to (`POST /api/kong/bridge/<deployment>`, `GET /api/kong/aggregate/<deployment>`).
 * Answers Kong itself made (cache hits are Flowgate's own, replayed) must not be passed here.
 */
export function matchesContract<R extends ProxyResponse>(res: R, method: string, flowgatePath: string): R {
  openApiContract().check(
    method,
    new URL(flowgatePath, 'http://flowgate.test'),
    res.status,
    res.headers.get('content-type') ?? '',
    res.body,
    res.text,
  );
  return res;
}
