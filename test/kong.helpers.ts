import { HttpClient } from './support/http-client';

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
