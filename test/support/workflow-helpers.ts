import { HttpClient } from './http-client';
import { waitFor } from './wait-for';

/** A two-step workflow (transform, then condition) that needs no third party. */
export function coreWorkflow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `core ${Math.random().toString(36).slice(2, 8)}`,
    trigger: { type: 'webhook' },
    steps: [
      {
        name: 'shape',
        type: 'transform',
        params: { greeting: 'Hello {{trigger.user.name | default: "stranger"}}', orderId: '{{trigger.order.id}}' },
      },
      { name: 'check', type: 'condition', params: { left: '{{steps.shape.orderId}}', operator: 'exists' } },
    ],
    settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
    ...overrides,
  };
}

export async function createWorkflow(http: HttpClient, token: string, body: Record<string, unknown>): Promise<any> {
  const res = await http.post('/api/workflows', body, { token });
  if (res.status !== 201) throw new Error(`create workflow failed: ${res.status} ${res.text}`);
  return res.body;
}

export const FINAL = ['succeeded', 'failed', 'cancelled'];

/** Polls GET /api/executions/:id until the run has finished (or `until` holds). */
export async function waitForExecution(
  http: HttpClient,
  token: string,
  id: string,
  timeoutMs = 30_000,
  until?: (e: any) => boolean,
): Promise<any> {
  return waitFor(
    async () => {
      const res = await http.get(`/api/executions/${id}`, { token });
      if (res.status !== 200) return undefined;
      return (until ? until(res.body) : FINAL.includes(res.body.status)) ? res.body : undefined;
    },
    `execution ${id} to finish`,
    timeoutMs,
    100,
  );
}
